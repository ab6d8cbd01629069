/**
 * The OData V2 sender adapter: the endpoint Commerce's outbound POSTs to (spec §3.1, §14.2, §16.9),
 * served with node:http.
 *
 * Service `/gw/odata/SAP/<IFLOW_ID_UPPERCASE>;v=1/`, generated from an EDMX (Commerce's `$metadata`):
 * - `GET`/`HEAD` on the service root answers the service document, on `$metadata` the EDMX;
 * - `POST <EntitySet>` runs the flow (operation Create): the JSON body becomes the flow XML
 *   (`odata-json-to-xml.ts`), the flow's reply XML becomes the 201 JSON answer
 *   (`odata-xml-to-json.ts`). One message processing log per POST that passes authentication and CSRF;
 * - everything needs Basic authentication (401 with `WWW-Authenticate` otherwise);
 * - CSRF (on by default): `X-CSRF-Token: Fetch` on a GET/HEAD answers a token and session cookies; a
 *   POST without a valid token for its session cookie gets 403 with `X-CSRF-Token: Required`.
 *
 * Answers: the flow failing → 500 with the error text in an OData error document ("return exception to
 * sender"); a body that is not a fitting JSON entity → 400 (and a FAILED log); other methods on the
 * entity set → 405; unknown paths → 404.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CsrfSessions } from './csrf-sessions.js';
import type { EdmModel } from './edmx.js';
import { basicAuthorization } from './http-client.js';
import { Message } from './message.js';
import { ODataInputError, odataJsonToXml } from './odata-json-to-xml.js';
import { replyXmlToODataJson, stringifyODataJson } from './odata-xml-to-json.js';
import type { MessageRun, ProcessingLog } from './processing-log.js';
import { errorText } from './processing-log.js';

/**
 * The message property holding the POSTed JSON text as received. A sandbox addition (SCPI has no
 * such property): the "no transformation" variant forwards Commerce's payload unchanged, which the
 * XML body alone cannot give back byte for byte.
 */
export const REQUEST_JSON_PROPERTY = 'SandboxODataRequestJson';

/** Largest request body accepted (larger: 413). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface ODataSenderConfig {
  /** The integration flow's id; the service name is its upper-case form (`THIRDPARTYORDEREXPORT`). */
  iflowId: string;
  /** The entity set Create is offered on, e.g. `Orders`. */
  entitySet: string;
  /** The EDMX the endpoint is generated from. */
  model: EdmModel;
  /** The Basic credentials the endpoint accepts. */
  credentials: { username: string; password: string };
  log: ProcessingLog;
  /** The flow between the adapter's conversions: reads the order XML body, leaves the reply XML body. */
  process: (message: Message, run: MessageRun) => Promise<void>;
  /** Default true. */
  csrf?: boolean;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
}

export interface ODataSenderEndpoint {
  /** The service root, with a trailing slash: the `csrfURL` of Commerce's destination. */
  serviceRoot: string;
  /** `{serviceRoot}{EntitySet}`: the URL of Commerce's ConsumedDestination. */
  entitySetUrl: string;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: string;
}

export async function startODataSender(config: ODataSenderConfig): Promise<ODataSenderEndpoint> {
  const host = config.host ?? '127.0.0.1';
  const servicePath = `/gw/odata/SAP/${config.iflowId.toUpperCase()};v=1`;
  const handler = new SenderHandler(config, servicePath);
  const server = createServer((req, res) => {
    handler.handle(req).then(
      (answer) => write(req, res, answer),
      (e: unknown) => write(req, res, odataError(500, `internal error of the sender endpoint: ${errorText(e)}`)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  // A wildcard address is not a URL a client can use; such an endpoint is reached on localhost.
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  handler.origin = `http://${shownHost}:${port.toString()}`;
  const serviceRoot = `${handler.origin}${servicePath}/`;
  return { serviceRoot, entitySetUrl: `${serviceRoot}${config.entitySet}`, close: () => closeServer(server) };
}

class SenderHandler {
  origin = '';
  private readonly sessions = new CsrfSessions();
  private readonly expectedAuthorization: string;

  constructor(
    private readonly config: ODataSenderConfig,
    private readonly servicePath: string,
  ) {
    this.expectedAuthorization = basicAuthorization(config.credentials);
  }

  async handle(req: IncomingMessage): Promise<Answer> {
    const method = req.method ?? 'GET';
    const path = decodePath(new URL(req.url ?? '/', 'http://sender').pathname);
    if (path !== this.servicePath && !path.startsWith(`${this.servicePath}/`)) return odataError(404, `no integration flow endpoint at ${path}`);
    if (req.headers.authorization !== this.expectedAuthorization) {
      return { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="SAP Cloud Integration"', 'Content-Type': 'text/plain' }, body: 'Unauthorized' };
    }
    const resource = path.slice(this.servicePath.length).replace(/^\/+/, '');
    const csrf = this.config.csrf ?? true;

    if (method === 'GET' || method === 'HEAD') {
      let answer: Answer;
      if (resource === '') answer = this.serviceDocument(req.headers.accept);
      else if (resource === '$metadata') answer = { status: 200, headers: { 'Content-Type': 'application/xml', DataServiceVersion: '1.0' }, body: this.config.model.xml };
      else if (resource === this.config.entitySet) answer = odataError(405, `the integration flow offers only Create (POST) on ${this.config.entitySet}`);
      else answer = odataError(404, `resource ${resource} not found`);
      if (csrf && answer.status === 200 && (header(req, 'x-csrf-token') ?? '').toLowerCase() === 'fetch') {
        const { token, setCookies } = this.sessions.fetch(req.headers.cookie);
        answer.headers = { ...answer.headers, 'X-CSRF-Token': token, ...(setCookies.length > 0 ? { 'Set-Cookie': setCookies } : {}) };
      }
      return answer;
    }
    if (resource !== this.config.entitySet) return odataError(resource === '' || resource === '$metadata' ? 405 : 404, `${method} ${resource || '/'} is not supported by this endpoint`);
    if (method !== 'POST') return odataError(405, `the integration flow offers only Create (POST) on ${this.config.entitySet}`);
    if (csrf && !this.sessions.valid(req.headers.cookie, header(req, 'x-csrf-token'))) {
      await drain(req);
      return { status: 403, headers: { 'X-CSRF-Token': 'Required', 'Content-Type': 'text/plain' }, body: 'CSRF token validation failed' };
    }
    const contentType = header(req, 'content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(contentType)) {
      await drain(req);
      return odataError(415, `Content-Type must be application/json (got ${contentType || 'none'})`);
    }
    const body = await readBody(req);
    if (body === undefined) return odataError(413, `the request body exceeds ${MAX_BODY_BYTES.toString()} bytes`);
    return this.create(body);
  }

  private serviceDocument(accept: string | undefined): Answer {
    const sets = [...this.config.model.entitySets.keys()];
    if ((accept ?? '').includes('json')) {
      return { status: 200, headers: { 'Content-Type': 'application/json', DataServiceVersion: '1.0' }, body: JSON.stringify({ d: { EntitySets: sets } }) };
    }
    const collections = sets.map((s) => `<app:collection href="${s}"><atom:title>${s}</atom:title></app:collection>`).join('');
    return {
      status: 200,
      headers: { 'Content-Type': 'application/atomsvc+xml', DataServiceVersion: '1.0' },
      body: `<?xml version="1.0" encoding="utf-8"?><app:service xmlns:app="http://www.w3.org/2007/app" xmlns:atom="http://www.w3.org/2005/Atom" xml:base="${this.origin}${this.servicePath}/"><app:workspace><atom:title>Default</atom:title>${collections}</app:workspace></app:service>`,
    };
  }

  /** One message: JSON → XML, the flow, XML → JSON; logged as one run. */
  private async create(body: string): Promise<Answer> {
    const { entitySet, model, log, process } = this.config;
    const run = log.begin();
    let message: Message;
    try {
      const xml = await run.step('OData V2 sender: JSON to XML', (step) => {
        step.detail = `POST ${entitySet} (${Buffer.byteLength(body).toString()} bytes) → <${entitySet}> XML`;
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch (e) {
          throw new ODataInputError(`the request body is not JSON: ${(e as Error).message}`);
        }
        return odataJsonToXml(json, model, entitySet);
      });
      message = new Message(xml);
      message.setProperty(REQUEST_JSON_PROPERTY, body);
    } catch (e) {
      run.fail(e);
      return odataError(e instanceof ODataInputError ? 400 : 500, errorText(e));
    }
    try {
      await process(message, run);
      const serviceRoot = `${this.origin}${this.servicePath}/`;
      const reply = await run.step('OData V2 sender: XML to JSON', (step) => {
        const json = replyXmlToODataJson(message.body, model, entitySet, serviceRoot);
        const metadata = json.d.__metadata as { uri?: string; type: string };
        step.detail = `201 ${metadata.uri ?? metadata.type}`;
        return json;
      });
      run.complete();
      const uri = (reply.d.__metadata as { uri?: string }).uri;
      return { status: 201, headers: { 'Content-Type': 'application/json', DataServiceVersion: '1.0', ...(uri ? { Location: uri } : {}) }, body: stringifyODataJson(reply) };
    } catch (e) {
      run.fail(e);
      return odataError(500, errorText(e));
    }
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** An OData V2 error document (JSON). */
function odataError(status: number, message: string): Answer {
  return {
    status,
    headers: { 'Content-Type': 'application/json', DataServiceVersion: '1.0' },
    body: JSON.stringify({ error: { code: status >= 500 ? 'SYSTEM_ERROR' : 'CLIENT_ERROR', message: { lang: 'en', value: message } } }),
  };
}

function write(req: IncomingMessage, res: ServerResponse, answer: Answer): void {
  const body = Buffer.from(answer.body ?? '', 'utf8');
  res.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
  res.setHeader('Content-Length', body.length);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** The request body as UTF-8, or undefined when it is larger than {@link MAX_BODY_BYTES}. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end even when too large: leaving the loop early would destroy the socket before the 413.
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8');
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const _chunk of req) {
    // discard: the answer does not depend on the body
  }
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
}
