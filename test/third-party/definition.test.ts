/**
 * The definition loader: every kind of bad definition is rejected with the file, the line and column,
 * and the JSON path of the culprit; good ones load with their documented shape.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinitionFile, parseDefinition } from '../../mock-third-party/definition/loader.js';
import { DefinitionError, validateDefinition, type DefinitionIssue } from '../../mock-third-party/definition/validate.js';
import { createThirdParty } from '../../mock-third-party/engine/third-party.js';
import { THIRD_PARTY_FIXTURES } from './helpers.js';

function issuesOf(yaml: string): DefinitionIssue[] {
  try {
    parseDefinition(yaml, 'bad.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(DefinitionError);
    return (e as DefinitionError).issues;
  }
  throw new Error('the definition loaded');
}

/** The single issue of a definition, as `line:column path: message`. */
function issueOf(yaml: string): string {
  const issues = issuesOf(yaml);
  expect(issues, JSON.stringify(issues)).toHaveLength(1);
  const i = issues[0] as DefinitionIssue;
  expect(i.file).toBe('bad.yaml');
  return `${String(i.line)}:${String(i.column)} ${i.path}: ${i.message}`;
}

const route = (lines: string): string => `name: x
routes:
  - method: GET
    path: /a
${lines}`;

describe('definition loader: bad definitions', () => {
  it('YAML syntax errors and duplicate keys', () => {
    expect(issueOf('name: x\nroutes: [\n')).toMatch(/^3:1 \$: YAML: /);
    expect(issueOf(route('    response: {status: 200}\n    response: {status: 201}\n'))).toMatch(/^6:5 \$: YAML: Map keys must be unique/);
  });

  it('unknown keys, naming the allowed ones', () => {
    expect(issueOf('name: x\nroutes: []\nbaseurl: /x\n')).toBe(
      '3:1 $.baseurl: unknown key "baseurl" (allowed: name, basePath, seed, auth, collections, routes, faults, rateLimit)',
    );
    expect(issueOf(route('    respons: {status: 200}\n'))).toMatch(/^5:5 \$\.routes\[0\]\.respons: unknown key "respons" \(allowed: id, method, path, /);
    expect(issueOf(route('    match: {query: {page: {regx: "1"}}}\n    response: {}\n'))).toBe(
      '5:28 $.routes[0].match.query.page.regx: unknown key "regx" (allowed: equals, regex, exists)',
    );
  });

  it('wrong types, missing keys, bad enumerations', () => {
    expect(issueOf(route('    response: {status: "200"}\n'))).toBe('5:24 $.routes[0].response.status: must be integer, not string');
    expect(issueOf('name: x\nseed: 1.5\nroutes: []\n')).toBe('2:7 $.seed: must be integer, not number');
    expect(issueOf('name: x\nroutes:\n  - path: /a\n    response: {}\n')).toBe('3:5 $.routes[0]: missing required key "method"');
    expect(issueOf('name: x\nroutes:\n  - method: FETCH\n    path: /a\n    response: {}\n')).toBe(
      '3:13 $.routes[0].method: must be one of: "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS" (got "FETCH")',
    );
    expect(issueOf('name: x\nroutes: {}\n')).toBe('2:9 $.routes: must be array, not object');
    expect(issueOf('name: x\nbasePath: /api/\nroutes: []\n')).toBe('2:11 $.basePath: must be empty or "/segment[/segment…]" without a trailing "/"');
    expect(issueOf('routes: []\n')).toBe('1:1 $: missing required key "name"');
  });

  it('unknown auth types and incomplete auth', () => {
    expect(issueOf('name: x\nauth: {type: kerberos}\nroutes: []\n')).toBe('2:14 $.auth.type: unknown type "kerberos" (one of: "none", "basic", "apiKey", "oauth2")');
    expect(issueOf('name: x\nauth: {type: oauth2}\nroutes: []\n')).toBe('2:7 $.auth: missing required key "clients"');
    expect(issueOf('name: x\nauth: basic\nroutes: []\n')).toBe('2:7 $.auth: must be "none"');
    // A route's oauth2 inherits from the top level; with nothing to inherit it lacks clients.
    expect(issueOf(route('    auth: {type: oauth2, tokenPath: /token}\n    response: {}\n'))).toBe(
      '5:11 $.routes[0].auth: oauth2 auth needs "clients" (here or in the top-level auth)',
    );
    expect(issueOf(route('    auth: {type: oauth2, accept: [{in: cookie, name: t}]}\n    response: {}\n'))).toBe(
      '5:40 $.routes[0].auth.accept[0].in: unknown in "cookie" (one of: "header", "body", "query")',
    );
  });

  it('duplicate and unreachable routes', () => {
    const duplicate = `name: x
routes:
  - method: GET
    path: /apps/{app_key}/orders
    response: {}
  - method: GET
    path: /apps/{key}/orders
    response: {}
`;
    expect(issueOf(duplicate)).toBe('6:5 $.routes[1]: duplicate route: same method, path and match as routes[0] ("GET /apps/{app_key}/orders")');
    const shadowed = `name: x
routes:
  - method: POST
    path: /orders
    response: {}
  - method: post
    path: /orders
    match: {headers: {X-Test: "1"}}
    response: {}
`;
    expect(issueOf(shadowed)).toMatch(/^6:5 \$\.routes\[1\]: unreachable route: routes\[0\] \("POST \/orders"\) has the same method and path, no match conditions/);
    // With a lower priority number the specific route is tried first: fine.
    expect(() => parseDefinition(shadowed.replace('    match:', '    priority: -1\n    match:'))).not.toThrow();
    // Same path, different methods or different matches: fine.
    expect(() => parseDefinition(duplicate.replace('method: GET\n    path: /apps/{key}', 'method: PUT\n    path: /apps/{key}'))).not.toThrow();
    expect(issueOf(`name: x
routes:
  - {id: a, method: GET, path: /a, response: {}}
  - {id: a, method: GET, path: /b, response: {}}
`)).toBe('4:10 $.routes[1].id: duplicate route id "a" (also routes[0])');
  });

  it('bad path templates', () => {
    expect(issueOf('name: x\nroutes:\n  - {method: GET, path: "/a/{id", response: {}}\n')).toBe(
      '3:25 $.routes[0].path: unbalanced "{" or "}" in path segment "{id"',
    );
    expect(issueOf('name: x\nroutes:\n  - {method: GET, path: "/a/{id}/b/{id}", response: {}}\n')).toMatch(/path parameter "\{id\}" appears twice/);
    expect(issueOf('name: x\nroutes:\n  - {method: GET, path: "/a/{1x}", response: {}}\n')).toMatch(/bad path parameter name "\{1x\}"/);
    expect(issueOf('name: x\nroutes:\n  - {method: GET, path: "a", response: {}}\n')).toBe('3:25 $.routes[0].path: must start with "/"');
    expect(issueOf('name: x\nroutes:\n  - {method: GET, path: "/__sandbox/x", response: {}}\n')).toBe(
      '3:25 $.routes[0].path: /__sandbox is reserved for the admin API',
    );
  });

  it('bad templates are found at load time', () => {
    expect(issueOf(route('    response:\n      body:\n        name: "{{#if request.body}}x"\n'))).toMatch(
      /^7:15 \$\.routes\[0\]\.response\.body\.name: template syntax: Parse error/,
    );
    expect(issueOf(route('    response:\n      body: {items: [ok, "{{shout request.path}}"]}\n'))).toMatch(
      /^6:26 \$\.routes\[0\]\.response\.body\.items\[1\]: unknown helper "shout" \(helpers: /,
    );
    expect(issueOf(route('    response:\n      headers: {X-Name: "{{faker \'person.fulName\'}}"}\n'))).toBe(
      '6:25 $.routes[0].response.headers["X-Name"]: unknown faker method "person.fulName" (e.g. "person.fullName", "string.alphanumeric")',
    );
    expect(issueOf(route('    response:\n      body: "{{> partial}}"\n'))).toMatch(/^6:13 .*partials .* are not supported/);
    expect(issueOf(route("    response:\n      body: \"{{now format='week'}}\"\n"))).toMatch(/now: unknown format "week"/);
    expect(issueOf(`name: x
collections:
  c:
    generate:
      count: 2
      item: {name: "{{faker 'nope'}}"}
routes: []
`)).toBe('6:20 $.collections.c.generate.item.name: unknown faker method "nope" (e.g. "person.fullName", "string.alphanumeric")');
  });

  it('bad regexes and JSONPath expressions', () => {
    expect(issueOf(route('    match:\n      query:\n        page: {regex: "[0-9"}\n    response: {}\n'))).toBe(
      '7:23 $.routes[0].match.query.page.regex: bad regex /[0-9/: Unterminated character class',
    );
    expect(issueOf(route('    match:\n      body: {regex: "(a"}\n    response: {}\n'))).toMatch(/^6:21 \$\.routes\[0\]\.match\.body\.regex: bad regex \/\(a\/: /);
    expect(issueOf(route('    match:\n      body:\n        jsonPath:\n          "$.a": {regex: "*"}\n    response: {}\n'))).toMatch(
      /^8:26 \$\.routes\[0\]\.match\.body\.jsonPath\["\$\.a"\]\.regex: bad regex/,
    );
    expect(issueOf(route('    match:\n      body:\n        jsonPath:\n          "a.b": 1\n    response: {}\n'))).toBe(
      '8:18 $.routes[0].match.body.jsonPath["a.b"]: JSONPath must start with "$": a.b',
    );
  });

  it('actions must fit their collection and op', () => {
    const withCollection = (action: string): string => `name: x
collections:
  orders: {}
routes:
  - method: GET
    path: /orders
    action: ${action}
`;
    expect(issueOf(withCollection('{collection: order, op: list}'))).toBe('7:26 $.routes[0].action.collection: unknown collection "order" (collections: orders)');
    expect(issueOf(withCollection('{collection: orders, op: read}'))).toMatch(/^7:13 \$\.routes\[0\]\.action: op "read" needs the item's id/);
    expect(issueOf(withCollection('{collection: orders, op: create, pagination: {style: page}}'))).toBe(
      '7:58 $.routes[0].action.pagination: "pagination" does not apply to op "create"',
    );
    expect(issueOf(withCollection('{collection: orders, op: list, pagination: {style: cursor, pageParam: p}}'))).toBe(
      '7:83 $.routes[0].action.pagination.pageParam: "pageParam" does not apply to cursor pagination',
    );
    expect(issueOf(withCollection('{collection: orders, op: remove}'))).toMatch(/^7:38 \$\.routes\[0\]\.action\.op: must be one of: "create", "read", "list", "update", "delete"/);
  });

  it('collections: seed items must respect ids and unique keys', () => {
    expect(issueOf(`name: x
collections:
  orders:
    unique: [order_id]
    items:
      - {order_id: A}
      - {order_id: A}
routes: []
`)).toBe('7:9 $.collections.orders.items[1]: items[0] and items[1] have the same order_id');
    expect(issueOf(`name: x
collections:
  orders:
    items: [{id: 1}, {id: 1}]
routes: []
`)).toBe('4:27 $.collections.orders.items[1].id: duplicate id 1 (also items[0])');
    expect(issueOf('name: x\ncollections:\n  orders: {onDuplicate: skip}\nroutes: []\n')).toMatch(/^3:25 \$\.collections\.orders\.onDuplicate: must be one of: "ignore", "reject"/);
  });

  it('response and sequence exclude each other; a route needs one of them or an action', () => {
    expect(issueOf(route('    response: {}\n    sequence: {responses: [{}]}\n'))).toBe('6:15 $.routes[0].sequence: a route has either "response" or "sequence", not both');
    expect(issueOf(route(''))).toBe('3:5 $.routes[0]: a route needs a "response", a "sequence" or an "action"');
    expect(issueOf(route('    sequence: {responses: []}\n'))).toBe('5:27 $.routes[0].sequence.responses: must NOT have fewer than 1 items');
  });

  it('the OAuth2 token endpoint cannot be shadowed or defined twice differently', () => {
    const oauth = `name: x
auth:
  type: oauth2
  clients: [{id: a, secret: b}]
routes:
  - method: POST
    path: /oauth/token
    response: {}
`;
    expect(issueOf(oauth)).toBe('7:11 $.routes[0].path: POST /oauth/token is the OAuth2 token endpoint (/oauth/token); the route would never be reached');
    const twice = `name: x
auth:
  type: oauth2
  clients: [{id: a, secret: b}]
routes:
  - method: GET
    path: /a
    auth: {type: oauth2, clients: [{id: c, secret: d}]}
    response: {}
`;
    expect(issueOf(twice)).toMatch(/^8:11 \$\.routes\[0\]\.auth: a second token endpoint on \/oauth\/token that issues tokens differently/);
  });

  it('faults and rateLimit are validated with their exact shape', () => {
    const issues = issuesOf(`name: x
faults:
  - {type: latency, distribution: uniform, minMs: 5}
  - {type: boom}
  - {type: error, status: 500, when: twice}
  - {type: malformed, mode: truncate, probability: 1.5}
  - {type: latency, distribution: gaussian, ms: 1}
rateLimit: {requestsPerMinute: 0, burst: 2}
routes:
  - method: GET
    path: /a
    response: {}
    faults: [{type: slowBody, bytesPerSecond: 0}]
    rateLimit: {requestsPerMinute: 10, retryAfter: 1}
`).map((i) => `${String(i.line)}:${String(i.column)} ${i.path}: ${i.message}`);
    expect(issues).toEqual([
      '3:5 $.faults[0]: missing required key "maxMs"',
      '4:12 $.faults[1].type: unknown type "boom" (one of: "latency", "error", "timeout", "reset", "malformed", "slowBody")',
      '5:38 $.faults[2].when: must be one of: "always", "once" (got "twice")',
      '6:52 $.faults[3].probability: must be <= 1',
      '7:35 $.faults[4].distribution: unknown distribution "gaussian" (one of: "fixed", "uniform", "lognormal")',
      '8:32 $.rateLimit.requestsPerMinute: must be >= 1',
      '13:47 $.routes[0].faults[0].bytesPerSecond: must be > 0',
      '14:40 $.routes[0].rateLimit.retryAfter: unknown key "retryAfter" (allowed: requestsPerMinute, burst, retryAfterSeconds)',
    ]);
    expect(issueOf('name: x\nfaults: [{type: latency, distribution: uniform, minMs: 50, maxMs: 5}]\nroutes: []\n')).toBe(
      '2:56 $.faults[0].minMs: minMs (50) is above maxMs (5)',
    );
  });

  it('reports every problem at once', () => {
    const issues = issuesOf(`name: x
routes:
  - method: GET
    path: /a
    match: {query: {a: {regex: "("}}}
    response: {body: "{{nope 1}}"}
  - method: GET
    path: /b/{x
    response: {}
`);
    expect(issues.map((i) => i.path)).toEqual(['$.routes[0].match.query.a.regex', '$.routes[0].response.body', '$.routes[1].path']);
  });

  it('loadDefinitionFile names the file', () => {
    const file = join(THIRD_PARTY_FIXTURES, 'bad-regex.yaml');
    expect(() => loadDefinitionFile(file)).toThrow(`${file}:7:24: $.routes[0].match.query.page.regex: bad regex /[0-9/: Unterminated character class`);
  });

  it('definitions built in code are validated too (paths, no lines)', () => {
    expect(() => validateDefinition({ name: 'x', routes: [{ method: 'GET', path: '/a', response: { status: 999 } }] })).toThrow(
      '$.routes[0].response.status: must be <= 599',
    );
    expect(() => createThirdParty({ name: 'x', routes: [{ method: 'GET', path: '/a/{', response: {} }] })).toThrow(DefinitionError);
  });
});

describe('definition loader: good definitions', () => {
  it('loads the reviews fixture with its faults and defaults untouched', () => {
    const def = loadDefinitionFile(join(THIRD_PARTY_FIXTURES, 'reviews.yaml'));
    expect(def.name).toBe('reviews');
    expect(def.routes.map((r) => r.id)).toEqual(['create-purchase', 'create-purchase-silently-ignored', 'bottom-lines']);
    expect(def.routes[2]?.auth).toEqual({ type: 'none' });
  });

  it('keeps faults and rate limits as written, for the fault layer', () => {
    const def = parseDefinition(`name: x
faults:
  - {type: latency, distribution: lognormal, medianMs: 120, sigma: 0.4, probability: 0.5}
  - {type: error, status: 503, body: {error: busy}, headers: {Retry-After: "1"}, sequence: [true, false], when: once}
  - {type: timeout, when: 3}
  - {type: reset}
  - {type: malformed, mode: garbage}
  - {type: slowBody, bytesPerSecond: 1024}
  - {type: latency, distribution: fixed, ms: 0}
rateLimit: {requestsPerMinute: 5000, burst: 10, retryAfterSeconds: 60}
routes:
  - method: get
    path: /a
    response: {}
    faults: [{type: latency, distribution: uniform, minMs: 1, maxMs: 2}]
    rateLimit: {requestsPerMinute: 300}
`);
    expect(def.faults).toHaveLength(7);
    expect(def.faults?.[1]).toEqual({ type: 'error', status: 503, body: { error: 'busy' }, headers: { 'Retry-After': '1' }, sequence: [true, false], when: 'once' });
    expect(def.rateLimit).toEqual({ requestsPerMinute: 5000, burst: 10, retryAfterSeconds: 60 });
    expect(def.routes[0]?.method).toBe('GET');
    expect(def.routes[0]?.faults).toEqual([{ type: 'latency', distribution: 'uniform', minMs: 1, maxMs: 2 }]);
  });

  it('shares parts through anchors, aliases and merge keys', () => {
    const def = parseDefinition(`name: x
routes:
  - method: GET
    path: /a
    response: &ok
      status: 200
      headers: {X-Env: sandbox}
      body: {status: {code: 200, message: OK}}
  - method: GET
    path: /b
    response:
      <<: *ok
      status: 202
`);
    expect(def.routes[1]?.response).toEqual({ status: 202, headers: { 'X-Env': 'sandbox' }, body: { status: { code: 200, message: 'OK' } } });
  });

  it('accepts JSON (YAML is a superset)', () => {
    expect(parseDefinition('{"name": "j", "routes": [{"method": "GET", "path": "/", "response": {"body": "hi"}}]}').name).toBe('j');
  });
});
