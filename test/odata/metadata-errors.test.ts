/**
 * Integration objects that cannot produce a schema: the 2005 profile answers with the codes of the
 * EDMX generator (spec §3.8); the 2211 profile with the one generic answer its help documents (V-MD-06).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../mock-commerce/app.js';
import { basic, fixtureProject, serve } from '../helpers/commerce.js';

const PROJECT = fixtureProject('invalid-ios');
// The fixture has no InboundChannelConfiguration: legacy authentication exposes its IOs under 2211.
const LEGACY = { 'integrationservices.legacy.authentication.enabled': 'true' };
const AUTH = { Authorization: basic('modeller', 'modeller-secret') };

function xmlError(code: string | null, message: string): string {
  const c = code === null ? '<code/>' : `<code>${code}</code>`;
  const escaped = message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version='1.0' encoding='UTF-8'?><error xmlns="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">${c}<message xml:lang="en">${escaped}</message></error>`;
}

describe('$metadata generation errors, 2005 profile', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = (await serve({ projectDir: PROJECT, commerceVersion: '2005' })).server;
  });
  afterAll(() => server.close());

  const cases: [string, string, string][] = [
    ['NoKey', 'invalid_key_definition', 'There is no valid integration key defined for the current entityType [Address].'],
    ['LocalizedKey', 'misconfigured_attribute', 'Cannot generate unique property for localized attribute [Unit.name]'],
    ['CollectionKey', 'invalid_property_definition', 'Cannot generate unique navigation property for collections [Catalog.catalogVersions]'],
    ['CircularKey', 'misconfigured_attribute', 'Circular key reference detected: [Catalog -> CatalogVersion -> Catalog] through attribute [CatalogVersion.catalog]'],
    ['AbstractCreate', 'invalid_property_definition', 'Attribute [Order.entries] is autoCreate or partOf, but its type [AbstractOrderEntry] is abstract and cannot be created.'],
  ];
  for (const [io, code, message] of cases) {
    it(`${io} → 400 ${code}`, async () => {
      const res = await fetch(`${server.url}/odata2webservices/${io}/$metadata`, { headers: AUTH });
      expect(res.status).toBe(400);
      expect(res.headers.get('dataserviceversion')).toBe('1.0');
      expect(await res.text()).toBe(xmlError(code, message));
    });
  }
});

describe('$metadata generation errors, 2211 profile', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = (await serve({ projectDir: PROJECT, commerceVersion: '2211', properties: LEGACY })).server;
  });
  afterAll(() => server.close());

  const GENERIC = 'The EDMX schema could not be generated. Please make sure that your Integration Object is defined correctly.';
  it('answers the documented generic error with an empty code', async () => {
    for (const io of ['NoKey', 'LocalizedKey', 'CollectionKey', 'AbstractCreate']) {
      const res = await fetch(`${server.url}/odata2webservices/${io}/$metadata`, { headers: AUTH });
      expect(res.status, io).toBe(400);
      expect(await res.text()).toBe(xmlError(null, GENERIC));
    }
  });

  it('names a circular dependency schema_generation_error', async () => {
    const res = await fetch(`${server.url}/odata2webservices/CircularKey/$metadata`, { headers: AUTH });
    expect(res.status).toBe(400);
    expect(await res.text()).toBe(xmlError('schema_generation_error', GENERIC));
  });
});
