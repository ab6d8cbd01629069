/**
 * JSON Schema (draft-07, validated with ajv) of a third-party definition and of a verification
 * pattern. The schema checks shapes: unknown keys, types, ranges, enumerations. What needs more than a
 * shape (templates, regexes, JSONPath, duplicate routes, references between parts) is checked in
 * `validate.ts`.
 */

const identifier = '^[A-Za-z_][A-Za-z0-9_-]*$';

const templateString = { type: 'string' };

/**
 * Shared parts are referenced, not repeated: ajv compiles each referenced schema once, which keeps
 * the first load of a definition fast.
 */
const RESPONSE = { $ref: '#/definitions/response' };
const VALUE_MATCHER = { $ref: '#/definitions/valueMatcher' };
const BODY_MATCHER = { $ref: '#/definitions/bodyMatcher' };
const FAULT = { $ref: '#/definitions/fault' };
const RATE_LIMIT = { $ref: '#/definitions/rateLimit' };

/** A header value may be written as a number or boolean in YAML; it is sent as text. */
const headerValues = {
  type: 'object',
  additionalProperties: { type: ['string', 'number', 'boolean'] },
};

export const responseSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'integer', minimum: 100, maximum: 599 },
    headers: headerValues,
    body: {},
    runAction: { type: 'boolean' },
  },
};

export const valueMatcherSchema = {
  if: { type: 'object' },
  then: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      equals: {},
      regex: { type: 'string' },
      exists: { type: 'boolean' },
    },
  },
  else: { type: ['string', 'number', 'boolean', 'null'] },
};

export const bodyMatcherSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    equals: {},
    subset: {},
    jsonPath: { type: 'object', additionalProperties: VALUE_MATCHER },
    regex: { type: 'string' },
    exists: { type: 'boolean' },
  },
};

const requestMatchSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    query: { type: 'object', additionalProperties: VALUE_MATCHER },
    headers: { type: 'object', additionalProperties: VALUE_MATCHER },
    body: BODY_MATCHER,
  },
};

const faultCommon = {
  type: { type: 'string' },
  probability: { type: 'number', minimum: 0, maximum: 1 },
  when: {
    if: { type: 'string' },
    then: { enum: ['always', 'once'] },
    else: { type: 'integer', minimum: 1 },
  },
};

const nonNegative = { type: 'number', minimum: 0 };

function fault(type: string, properties: Record<string, unknown>, required: string[] = []): object {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['type', ...required],
    properties: { ...faultCommon, type: { const: type }, ...properties },
  };
}

function latency(distribution: string, properties: Record<string, unknown>, required: string[]): object {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['type', 'distribution', ...required],
    properties: { ...faultCommon, type: { const: 'latency' }, distribution: { const: distribution }, ...properties },
  };
}

export const faultSchema = {
  type: 'object',
  required: ['type'],
  properties: { type: { type: 'string' } },
  discriminator: { propertyName: 'type' },
  oneOf: [
    {
      type: 'object',
      required: ['type', 'distribution'],
      properties: { type: { const: 'latency' }, distribution: { type: 'string' } },
      discriminator: { propertyName: 'distribution' },
      oneOf: [
        latency('fixed', { ms: nonNegative }, ['ms']),
        latency('uniform', { minMs: nonNegative, maxMs: nonNegative }, ['minMs', 'maxMs']),
        latency('lognormal', { medianMs: { type: 'number', exclusiveMinimum: 0 }, sigma: nonNegative }, ['medianMs', 'sigma']),
      ],
    },
    fault(
      'error',
      {
        status: { type: 'integer', minimum: 100, maximum: 599 },
        body: {},
        headers: { type: 'object', additionalProperties: { type: 'string' } },
        sequence: { type: 'array', items: { type: 'boolean' }, minItems: 1 },
      },
      ['status'],
    ),
    fault('timeout', {}),
    fault('reset', {}),
    fault('malformed', { mode: { enum: ['truncate', 'garbage'] } }, ['mode']),
    fault('slowBody', { bytesPerSecond: { type: 'number', exclusiveMinimum: 0 } }, ['bytesPerSecond']),
  ],
};

export const rateLimitSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['requestsPerMinute'],
  properties: {
    requestsPerMinute: { type: 'integer', minimum: 1 },
    burst: { type: 'integer', minimum: 1 },
    retryAfterSeconds: { type: 'integer', minimum: 0 },
  },
};

const unauthorized = { unauthorized: RESPONSE };

const tokenLocationSchema = {
  type: 'object',
  required: ['in'],
  properties: { in: { type: 'string' } },
  discriminator: { propertyName: 'in' },
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      properties: { in: { const: 'header' }, name: { type: 'string', minLength: 1 }, scheme: { type: 'string' } },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: { in: { const: 'body' }, name: { type: 'string', minLength: 1 } },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: { in: { const: 'query' }, name: { type: 'string', minLength: 1 } },
    },
  ],
};

/** `clients` is required at top level only: a route's oauth2 inherits what it leaves out. */
function authSchema(topLevel: boolean): object {
  const oauth2Required = topLevel ? ['type', 'clients'] : ['type'];
  return {
    if: { type: 'string' },
    then: { const: 'none' },
    else: {
      type: 'object',
      required: ['type'],
      properties: { type: { type: 'string' } },
      discriminator: { propertyName: 'type' },
      oneOf: [
        { type: 'object', additionalProperties: false, properties: { type: { const: 'none' } } },
        {
          type: 'object',
          additionalProperties: false,
          required: topLevel ? ['type', 'users'] : ['type'],
          properties: {
            type: { const: 'basic' },
            users: {
              type: 'array',
              minItems: 1,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['username', 'password'],
                properties: { username: { type: 'string' }, password: { type: 'string' } },
              },
            },
            realm: { type: 'string' },
            ...unauthorized,
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: topLevel ? ['type', 'keys'] : ['type'],
          properties: {
            type: { const: 'apiKey' },
            in: { enum: ['header', 'query'] },
            name: { type: 'string', minLength: 1 },
            keys: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
            ...unauthorized,
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: oauth2Required,
          properties: {
            type: { const: 'oauth2' },
            tokenPath: { type: 'string', pattern: '^/' },
            clients: {
              type: 'array',
              minItems: 1,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['id', 'secret'],
                properties: { id: { type: 'string', minLength: 1 }, secret: { type: 'string' } },
              },
            },
            expiresIn: { type: 'integer', minimum: 1 },
            tokenLength: { type: 'integer', minimum: 8, maximum: 512 },
            requestFormats: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['json', 'form'] } },
            response: RESPONSE,
            invalidClient: RESPONSE,
            accept: { type: 'array', minItems: 1, items: tokenLocationSchema },
            ...unauthorized,
          },
        },
      ],
    },
  };
}

const paginationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['style'],
  properties: {
    style: { enum: ['page', 'cursor'] },
    pageParam: { type: 'string', minLength: 1 },
    firstPage: { enum: [0, 1] },
    cursorParam: { type: 'string', minLength: 1 },
    sizeParam: { type: 'string', minLength: 1 },
    defaultSize: { type: 'integer', minimum: 1 },
    maxSize: { type: 'integer', minimum: 1 },
  },
};

const actionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['collection', 'op'],
  properties: {
    collection: { type: 'string' },
    op: { enum: ['create', 'read', 'list', 'update', 'delete'] },
    id: templateString,
    item: {},
    merge: { type: 'boolean' },
    filter: { type: 'object', additionalProperties: templateString },
    pagination: paginationSchema,
    notFound: RESPONSE,
  },
};

const routeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['method', 'path'],
  properties: {
    id: { type: 'string', minLength: 1 },
    method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] },
    path: { type: 'string', pattern: '^/' },
    priority: { type: 'integer' },
    auth: authSchema(false),
    match: requestMatchSchema,
    action: actionSchema,
    response: RESPONSE,
    sequence: {
      type: 'object',
      additionalProperties: false,
      required: ['responses'],
      properties: {
        responses: { type: 'array', minItems: 1, items: RESPONSE },
        then: { enum: ['last', 'cycle'] },
      },
    },
    faults: { type: 'array', items: FAULT },
    rateLimit: RATE_LIMIT,
  },
};

const collectionSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    idField: { type: 'string', minLength: 1 },
    idStrategy: { enum: ['sequence', 'uuid'] },
    unique: {
      type: 'array',
      items: {
        if: { type: 'array' },
        then: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
        else: { type: 'string', minLength: 1 },
      },
    },
    onDuplicate: { enum: ['ignore', 'reject'] },
    duplicateResponse: RESPONSE,
    items: { type: 'array', items: { type: 'object' } },
    generate: {
      type: 'object',
      additionalProperties: false,
      required: ['count', 'item'],
      properties: {
        count: { type: 'integer', minimum: 0, maximum: 100000 },
        item: { type: 'object' },
      },
    },
  },
};

export const definitionSchema = {
  $id: 'https://commerce-sandbox/third-party-definition.json',
  definitions: {
    response: responseSchema,
    valueMatcher: valueMatcherSchema,
    bodyMatcher: bodyMatcherSchema,
    fault: faultSchema,
    rateLimit: rateLimitSchema,
  },
  type: 'object',
  additionalProperties: false,
  required: ['name', 'routes'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' },
    basePath: { type: 'string', pattern: '^(/[^/?#]+)*$' },
    seed: { type: 'integer' },
    auth: authSchema(true),
    collections: {
      type: 'object',
      propertyNames: { pattern: identifier },
      additionalProperties: collectionSchema,
    },
    routes: { type: 'array', items: routeSchema },
    faults: { type: 'array', items: FAULT },
    rateLimit: RATE_LIMIT,
  },
};

/** A verification pattern as JSON (admin API): `path` is a template, or `{regex}`. */
export const patternSchema = {
  $id: 'https://commerce-sandbox/third-party-pattern.json',
  definitions: { valueMatcher: valueMatcherSchema, bodyMatcher: bodyMatcherSchema },
  type: 'object',
  additionalProperties: false,
  properties: {
    method: { type: 'string', pattern: '^[A-Za-z]+$' },
    path: {
      if: { type: 'object' },
      then: { type: 'object', additionalProperties: false, required: ['regex'], properties: { regex: { type: 'string' } } },
      else: { type: 'string', pattern: '^/' },
    },
    route: { type: 'string' },
    query: { type: 'object', additionalProperties: VALUE_MATCHER },
    headers: { type: 'object', additionalProperties: VALUE_MATCHER },
    body: BODY_MATCHER,
  },
};

export const countSchema = {
  if: { type: 'object' },
  then: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: { min: { type: 'integer', minimum: 0 }, max: { type: 'integer', minimum: 0 } },
  },
  else: { type: 'integer', minimum: 0 },
};
