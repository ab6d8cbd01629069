/**
 * The authorisation matrix of spec §9.2 over real HTTP: every group × verb → the expected status.
 * "pass" means the request got past Spring Security: reads answer 200; writes reach persistence, which
 * answers 400 missing_key for an empty POST and 404 not_found for the unknown key used by PATCH/DELETE
 * (so nothing is changed and the matrix stays independent of the data).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../mock-commerce/app.js';
import { basic, fixtureProject, serve } from '../helpers/commerce.js';

type Verb = 'GET set' | 'GET $count' | 'GET service' | 'GET $metadata' | 'POST' | 'PATCH' | 'DELETE' | 'PUT' | 'MERGE' | 'HEAD entity';
const VERBS: Verb[] = ['GET set', 'GET $count', 'GET service', 'GET $metadata', 'POST', 'PATCH', 'DELETE', 'PUT', 'MERGE', 'HEAD entity'];

const REQUESTS: Record<Verb, { method: string; path: string; passStatus: number }> = {
  'GET set': { method: 'GET', path: 'Products', passStatus: 200 },
  'GET $count': { method: 'GET', path: 'Products/$count', passStatus: 200 },
  'GET service': { method: 'GET', path: '', passStatus: 200 },
  'GET $metadata': { method: 'GET', path: '$metadata', passStatus: 200 },
  POST: { method: 'POST', path: 'Products', passStatus: 400 },
  PATCH: { method: 'PATCH', path: "Products('Staged%7CDefault%7Cnope')", passStatus: 404 },
  DELETE: { method: 'DELETE', path: "Products('Staged%7CDefault%7Cnope')", passStatus: 404 },
  PUT: { method: 'PUT', path: "Products('Staged%7CDefault%7Cp1')", passStatus: 403 },
  MERGE: { method: 'MERGE', path: "Products('Staged%7CDefault%7Cp1')", passStatus: 403 },
  'HEAD entity': { method: 'HEAD', path: "Products('Staged%7CDefault%7Cp1')", passStatus: 200 },
};

const P = 'pass';
const F = 403;
// user → expected per verb, in VERBS order (spec §9.2; PUT/MERGE/HEAD are denied to everybody).
const MATRIX: Record<string, [string, (typeof P | typeof F)[]]> = {
  'integrationadmingroup': ['integration:pass', [P, P, P, P, P, P, P, F, F, F]],
  'integrationcreategroup': ['creator:creator-secret', [F, F, F, P, P, P, F, F, F, F]],
  'integrationviewgroup': ['viewer:viewer-secret', [P, P, P, P, F, F, F, F, F, F]],
  'integrationdeletegroup': ['deleter:deleter-secret', [F, F, F, F, F, F, P, F, F, F]],
  'integrationservicegroup only': ['servicer:servicer-secret', [F, F, F, F, F, F, F, F, F, F]],
  'integrationmonitoringgroup only': ['monitor:monitor-secret', [F, F, F, F, F, F, F, F, F, F]],
  'integrationusergroup only': ['member:member-secret', [F, F, F, F, F, F, F, F, F, F]],
  'no group': ['outsider:outsider-secret', [F, F, F, F, F, F, F, F, F, F]],
  'create + view': ['creatorviewer:cv-secret', [P, P, P, P, P, P, F, F, F, F]],
};

describe('authorisation matrix', () => {
  let server: RunningServer;
  beforeAll(async () => {
    // 2005: no type-level rights, so the statuses show the group matrix alone.
    server = (await serve({ projectDir: fixtureProject('inbound-product'), commerceVersion: '2005' })).server;
  });
  afterAll(() => server.close());

  for (const [group, [credentials, expected]] of Object.entries(MATRIX)) {
    for (const [i, verb] of VERBS.entries()) {
      const want = expected[i]!;
      const request = REQUESTS[verb];
      it(`${group} × ${verb} → ${want === P ? request.passStatus : want}`, async () => {
        const [user, password] = credentials.split(':') as [string, string];
        const res = await fetch(`${server.url}/odata2webservices/InboundProduct/${request.path}`, {
          method: request.method,
          headers: { Authorization: basic(user, password), Accept: 'application/json', ...(request.method === 'POST' || request.method === 'PATCH' ? { 'Content-Type': 'application/json' } : {}) },
          ...(request.method === 'POST' || request.method === 'PATCH' || request.method === 'PUT' || request.method === 'MERGE' ? { body: '{}' } : {}),
        });
        expect(res.status).toBe(want === P ? request.passStatus : want);
        if (want === F && request.method !== 'HEAD') {
          expect(await res.json()).toEqual({ error: { code: 'forbidden', message: { lang: 'en', value: 'credentials provided are not authorized for the operation' } } });
        }
      });
    }
  }

  it('no credentials → 401 before anything else, also for denied verbs', async () => {
    for (const verb of VERBS) {
      const request = REQUESTS[verb];
      const res = await fetch(`${server.url}/odata2webservices/InboundProduct/${request.path}`, { method: request.method });
      expect(res.status, verb).toBe(401);
    }
  });
});
