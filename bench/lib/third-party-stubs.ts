/**
 * The two third-party routes every stub server answers alike:
 * - static: `GET /v1/static/bottom_lines` → a fixed JSON document (≈1 KB, ten review bottom lines);
 * - templated: `GET /v1/products/{code}/bottom_line?page=N` → a JSON document built from the path
 *   parameter and the query (Handlebars in our YAML and in WireMock's response-template transformer,
 *   a function in msw).
 */
export const STATIC_PATH = '/v1/static/bottom_lines';
export const TEMPLATED_PATH_PREFIX = '/v1/products/';
export const TEMPLATED_SUFFIX = '/bottom_line';

export const STATIC_BODY = {
  status: { code: 200, message: 'OK' },
  response: {
    bottomlines: Array.from({ length: 10 }, (_, i) => ({
      domain_key: `P-${i + 1}`,
      product_score: Math.round((1 + ((i * 37) % 40) / 10) * 100) / 100,
      total_reviews: (i * 53) % 500,
    })),
    page: '1',
    per_page: '10',
  },
};

export interface TemplatedBody {
  status: { code: number; message: string };
  response: { domain_key: string; page: string; link: string };
}

export function templatedBody(code: string, page: string): TemplatedBody {
  return { status: { code: 200, message: 'OK' }, response: { domain_key: code, page, link: `/v1/products/${code}/reviews?page=${page}` } };
}

function templatedTemplate(param: string, query: string): TemplatedBody {
  return { status: { code: 200, message: 'OK' }, response: { domain_key: param, page: query, link: `/v1/products/${param}/reviews?page=${query}` } };
}

/** Our mock-third-party definition (YAML) of the two routes. */
export function sandboxDefinitionYaml(): string {
  // JSON is YAML: the bodies are written as flow mappings.
  return [
    'name: bench',
    'routes:',
    '  - id: static',
    '    method: GET',
    `    path: ${STATIC_PATH}`,
    '    response:',
    '      status: 200',
    `      body: ${JSON.stringify(STATIC_BODY)}`,
    '  - id: templated',
    '    method: GET',
    `    path: ${TEMPLATED_PATH_PREFIX}{code}${TEMPLATED_SUFFIX}`,
    '    response:',
    '      status: 200',
    `      body: ${JSON.stringify(templatedTemplate('{{params.code}}', '{{request.query.page}}'))}`,
    '',
  ].join('\n');
}

/** WireMock stub mappings (`mappings/*.json`) of the two routes. */
export function wiremockMappings(): Record<string, unknown> {
  return {
    'static.json': {
      request: { method: 'GET', url: STATIC_PATH },
      response: { status: 200, headers: { 'Content-Type': 'application/json' }, jsonBody: STATIC_BODY },
    },
    'templated.json': {
      request: { method: 'GET', urlPathTemplate: `${TEMPLATED_PATH_PREFIX}{code}${TEMPLATED_SUFFIX}` },
      response: {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(templatedTemplate('{{request.path.code}}', '{{request.query.page}}')),
        transformers: ['response-template'],
      },
    },
  };
}
