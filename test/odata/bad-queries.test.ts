/**
 * Robustness: a few hundred generated bad query strings and paths. Every answer must be a 4xx/5xx OData
 * error document (never a crash, never a hang), and the server must keep answering correctly afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../mock-commerce/app.js';
import { basic, fixtureProject, serve } from '../helpers/commerce.js';
import { seededRandom } from '../helpers/random.js';


const TOKENS = ['code', 'name', 'eq', 'ne', 'gt', 'and', 'or', 'not', '(', ')', "'", "'x'", "''", '1', '-1', '1.5', '10L', '8m', 'null', 'true', 'datetime', "datetime'2020-13-45T99:99:99'", 'add', 'substringof(', ',', '/', 'catalogVersion/version', 'catalogVersion/catalog/id', 'integrationKey', '%', '%2', '%ZZ', '%E0%A4%A', '$', '&', '=', '\u00e9', '\u{1F600}', '\\', '"', ' '];
const OPTIONS = ['$filter', '$orderby', '$top', '$skip', '$skiptoken', '$inlinecount', '$expand', '$select', '$format', '$nope', 'custom'];

function garbage(next: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += TOKENS[Math.floor(next() * TOKENS.length)]! + (next() < 0.6 ? ' ' : '');
  return out;
}

/** Percent-encodes what fetch would otherwise refuse to send, keeping deliberate `%` sequences. */
function encodeForUrl(s: string): string {
  return s.replace(/[ "\\<>^`{|}#]/g, (c) => encodeURIComponent(c)).replace(/[^\x20-\x7e]/gu, (c) => encodeURIComponent(c));
}

function generateQueries(count: number): string[] {
  const next = seededRandom(20261127);
  const queries: string[] = [
    `$filter=${"code eq 'x' and ".repeat(700)}code eq 'y'`, // ~10 kB
    `$filter=${'('.repeat(5000)}code eq 'x'${')'.repeat(5000)}`,
    `$filter=code eq '${'a'.repeat(10_000)}`,
    `$orderby=${'code,'.repeat(2000)}code`,
    `$expand=${'catalogVersion/'.repeat(500)}catalog`,
    '$top=99999999999999999999',
    '$skip=-0',
    '$top=1e3',
    '$inlinecount=ALLPAGES',
    '$format=pdf',
    '%24filter=code%20eq',
  ];
  while (queries.length < count) {
    const option = OPTIONS[Math.floor(next() * OPTIONS.length)]!;
    queries.push(`${option}=${garbage(next, 1 + Math.floor(next() * 12))}`);
  }
  return queries;
}

describe('bad query strings', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = (await serve({ projectDir: fixtureProject('inbound-product') })).server;
  });
  afterAll(() => server.close());

  const AUTH = basic('integration', 'pass');

  it('answers every generated bad query with a status and, for errors, an OData error document', async () => {
    const queries = generateQueries(400);
    const statuses = new Map<number, number>();
    for (const query of queries) {
      const started = performance.now();
      const res = await fetch(`${server.url}/odata2webservices/InboundProduct/Products?${encodeForUrl(query)}`, { headers: { Authorization: AUTH, Accept: 'application/json' } });
      const text = await res.text();
      const elapsed = performance.now() - started;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(elapsed, query.slice(0, 80)).toBeLessThan(2000);
      expect([200, 400, 404, 500, 501], query.slice(0, 80)).toContain(res.status);
      const xml = (res.headers.get('content-type') ?? '').includes('xml');
      if (res.status >= 400) {
        // `$format=atom|xml` (or an unusable $format) asks for XML: the error document follows the request.
        const code = xml ? (/<code>([^<]*)<\/code>|<code\/>/.exec(text)?.[1] ?? null) : (JSON.parse(text) as { error: { code: string | null } }).error.code;
        if (xml) expect(text, query.slice(0, 80)).toMatch(/^<\?xml version='1\.0' encoding='UTF-8'\?><error xmlns="[^"]+">(<code>[^<]*<\/code>|<code\/>)<message xml:lang="en">/);
        else expect((JSON.parse(text) as { error: { message: { lang: string } } }).error.message.lang).toBe('en');
        // A 500 is only ever Commerce's documented unknown_error (functions, `not`), never a crash.
        if (res.status === 500) expect(code, query.slice(0, 80)).toBe('unknown_error');
      } else if (!xml) {
        expect(JSON.parse(text)).toHaveProperty('d');
      }
    }
    // Most of them are client errors; the few valid ones answer 200.
    expect((statuses.get(400) ?? 0) + (statuses.get(404) ?? 0)).toBeGreaterThan(250);
    const after = await fetch(`${server.url}/odata2webservices/InboundProduct/Products/$count`, { headers: { Authorization: AUTH } });
    expect(await after.text()).toBe('5');
  });

  it('answers bad paths and percent-encoding errors with 4xx documents', async () => {
    const paths = ["Products('", "Products('x'", "Products(')", "Products('%ZZ')", 'Products%', "Products('a','b')", "Products(a='x')", 'Products()', "Products('Staged%7CDefault%7Cp1')/$count", "Products('Staged%7CDefault%7Cp1')/catalogVersion/nope", 'Products/$count/x', `Products('${'x|'.repeat(3000)}')`];
    for (const p of paths) {
      const res = await fetch(`${server.url}/odata2webservices/InboundProduct/${p}`, { headers: { Authorization: AUTH, Accept: 'application/json' } });
      expect(res.status, p).toBeGreaterThanOrEqual(400);
      expect(res.status, p).toBeLessThan(500);
      const body = (await res.json()) as { error: { message: { value: string } } };
      expect(typeof body.error.message.value, p).toBe('string');
    }
  });
});
