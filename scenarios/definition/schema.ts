/** JSON Schema of a scenario file (see model.ts); matcher values are free-form, checked by `scenarios/expect`. */

const duration = { anyOf: [{ type: 'string', minLength: 1 }, { type: 'number', minimum: 0 }] };
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const credentials = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'password'],
  properties: { username: { type: 'string' }, password: { type: 'string' } },
};

const odataCall = {
  type: 'object',
  additionalProperties: false,
  required: ['service', 'path'],
  properties: {
    service: { type: 'string', minLength: 1 },
    path: { type: 'string', minLength: 1 },
    body: {},
    status: { type: 'integer', minimum: 100, maximum: 599 },
  },
};

const expectations = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    thirdParty: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: { requests: {}, count: { type: 'integer', minimum: 0 } },
      },
    },
    commerce: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['get'],
        properties: { get: { type: 'string', minLength: 1 }, as: credentials, status: { type: 'integer' }, body: {} },
      },
    },
    outboundRequests: {},
    inboundRequests: {},
    outboundSyncRetries: {},
    flowRuns: {},
    cronJob: {},
  },
};

/** One step: its action key, and an optional `name` (and `timeout` for waitUntil). */
function step(action: string, schema: object, extra: Record<string, object> = {}): object {
  return {
    type: 'object',
    additionalProperties: false,
    required: [action],
    properties: { name: { type: 'string' }, [action]: schema, ...extra },
  };
}

/** The schema of a step by its action (the loader picks it from the step's keys, for precise errors). */
export const stepSchemas: Record<string, object> = Object.fromEntries(
  [
  step('create', odataCall),
  step('update', odataCall),
  step('delete', odataCall),
  step('runCronJob', { type: 'string', minLength: 1 }),
  step('advanceClock', duration),
  // if/then/else, not anyOf: an object with a bad key is reported for that key only, without "must be true".
  step('trigger', { if: { type: 'object' }, then: { additionalProperties: false, properties: { expectStatus: { enum: ['COMPLETED', 'FAILED'] } } }, else: { const: true } }),
  step('fault', {
    type: 'object',
    additionalProperties: false,
    required: ['thirdParty'],
    properties: { thirdParty: { type: 'string' }, set: {}, clear: { type: 'boolean' } },
  }),
  step('waitUntil', expectations, { timeout: duration }),
  step('expect', expectations),
  ].map((schema) => [(schema as { required: string[] }).required[0]!, schema]),
);

const flowEndpoint = {
  url: { type: 'string' },
  csrfUrl: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  triggerUrl: { type: 'string' },
};

export const scenarioSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'flow', 'steps'],
  properties: {
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } },
    timeout: duration,
    sandbox: {
      type: 'object',
      additionalProperties: false,
      properties: {
        project: { type: 'string', minLength: 1 },
        commerceVersion: { enum: ['2211', '2005'] },
        seed: { type: 'integer' },
        time: { type: 'string', minLength: 1 },
        properties: stringMap,
        thirdParties: {
          type: 'array',
          items: {
            anyOf: [
              {
                type: 'object',
                additionalProperties: false,
                required: ['profile'],
                properties: { profile: { type: 'string' }, name: { type: 'string' }, options: { type: 'object' } },
              },
              { type: 'object', additionalProperties: false, required: ['file'], properties: { file: { type: 'string' }, name: { type: 'string' } } },
            ],
          },
        },
        impex: { type: 'array', items: { type: 'string', minLength: 1 } },
        impexText: { type: 'string' },
      },
    },
    flow: {
      type: 'object',
      additionalProperties: false,
      properties: {
        reference: { type: 'string', minLength: 1 },
        options: { type: 'object' },
        external: { type: 'object', additionalProperties: false, properties: flowEndpoint },
        command: {
          type: 'object',
          additionalProperties: false,
          required: ['run'],
          properties: { run: { type: 'string', minLength: 1 }, readyUrl: { type: 'string' }, ...flowEndpoint },
        },
        parameters: stringMap,
        commerceCredentials: credentials,
        outbound: {
          type: 'object',
          additionalProperties: false,
          required: ['integrationObject'],
          properties: { integrationObject: { type: 'string', minLength: 1 }, channel: { type: 'string', minLength: 1 } },
        },
      },
    },
    steps: { type: 'array', minItems: 1, items: { type: 'object' } },
    expect: expectations,
  },
} as const;
