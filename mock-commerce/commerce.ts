/**
 * The simulated Commerce: type system, item store, integration objects, configuration — and the pure
 * request handler the transport adapters call (`handle(request) → response`).
 *
 * Request pipeline for `/odata2webservices/{IO}/…`, in Commerce's order: authentication (Spring
 * Security: 401), group authorisation (403), integration-object exposure (interceptor: 404), then OData.
 */
import type { CommerceConfig } from './config/profile.js';
import type { HttpRequest, HttpResponse } from './http/types.js';
import { IntegrationObjectRegistry, type IntegrationObjectModel } from './integration-objects/model.js';
import { SchemaError, validateSchema } from './integration-objects/validation.js';
import { odataError, servletError } from './odata/errors.js';
import { buildSchema, serialiseEdmx } from './odata/metadata.js';
import { authenticateBasic, parseAuthorization, type Principal } from './security/principals.js';
import type { ItemStore } from './store/store.js';

export const ODATA_ROOT = '/odata2webservices';

/** Groups that may read `$metadata` (spec §9.2). */
const METADATA_GROUPS = ['integrationadmingroup', 'integrationcreategroup', 'integrationviewgroup'];

const BASIC_REALM = 'Basic realm="Spring Security Application"';

export interface CommerceLogger {
  warn(message: string): void;
}

export class Commerce {
  readonly integrationObjects: IntegrationObjectRegistry;

  constructor(
    readonly store: ItemStore,
    readonly config: CommerceConfig,
    private readonly logger: CommerceLogger = { warn: () => {} },
  ) {
    this.integrationObjects = new IntegrationObjectRegistry(store);
  }

  get typeSystem() {
    return this.store.typeSystem;
  }

  /**
   * Integration objects served over `/odata2webservices`: INBOUND ones, and with the 2211 profile only
   * those an InboundChannelConfiguration exposes (unless legacy authentication is switched on).
   */
  servedIntegrationObjects(): IntegrationObjectModel[] {
    return this.integrationObjects
      .codes()
      .map((c) => this.integrationObjects.get(c))
      .filter((io): io is IntegrationObjectModel => !!io && this.isExposed(io));
  }

  private isExposed(io: IntegrationObjectModel): boolean {
    if (io.integrationType !== 'INBOUND') return false;
    if (this.config.bool('integrationservices.legacy.authentication.enabled')) return true;
    return this.store.find('InboundChannelConfiguration', { integrationObject: io.pk }).length > 0;
  }

  handle(request: HttpRequest): HttpResponse {
    try {
      return this.route(request);
    } catch (e) {
      this.logger.warn(`unexpected error for ${request.method} ${request.path}: ${(e as Error).stack ?? String(e)}`);
      return servletError(500, request.headers.accept);
    }
  }

  private route(request: HttpRequest): HttpResponse {
    const path = request.path;
    if (path !== ODATA_ROOT && !path.startsWith(`${ODATA_ROOT}/`)) return servletError(404, request.headers.accept);
    const segments = path.slice(ODATA_ROOT.length).split('/').filter((s) => s !== '');
    const accept = request.headers.accept;

    const principal = this.authenticate(request);
    if (!principal) return servletError(401, accept, { 'WWW-Authenticate': BASIC_REALM });

    if (segments.length === 0) return servletError(404, accept);
    const ioCode = safeDecode(segments[0]!);
    const resource = segments.slice(1);

    if (resource[0] === '$metadata' && resource.length === 1) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return servletError(403, accept);
      if (!METADATA_GROUPS.some((g) => principal.groups.has(g))) return servletError(403, accept);
      const io = ioCode === undefined ? undefined : this.integrationObjects.get(ioCode);
      if (!io || !this.isExposed(io)) return servletError(404, accept);
      return this.metadata(io, request);
    }
    // Reads, writes and the service document come with the OData read/write issues.
    return servletError(404, accept);
  }

  private authenticate(request: HttpRequest): Principal | undefined {
    const credentials = parseAuthorization(request.headers.authorization);
    if (credentials?.scheme !== 'basic') return undefined;
    return authenticateBasic(this.store, credentials.username, credentials.password);
  }

  /**
   * EDMX per integration object (and `?Item` restriction), cached for as long as the registry hands out
   * the same model: any change to the IO's definition items yields a new model, and so a new document.
   */
  private readonly edmxCache = new WeakMap<IntegrationObjectModel, Map<string, string>>();

  private edmx(io: IntegrationObjectModel, onlyItem: string | undefined): string {
    let perIo = this.edmxCache.get(io);
    if (!perIo) this.edmxCache.set(io, (perIo = new Map()));
    const key = onlyItem ?? '';
    let xml = perIo.get(key);
    if (xml === undefined) {
      validateSchema(io, this.store);
      xml = serialiseEdmx(buildSchema(io, onlyItem));
      perIo.set(key, xml);
    }
    return xml;
  }

  private metadata(io: IntegrationObjectModel, request: HttpRequest): HttpResponse {
    const params = request.query === '' ? [] : request.query.split('&').filter((p) => p !== '');
    let onlyItem: string | undefined;
    if (params.length > 0) {
      const name = safeDecode(params[0]!.split('=')[0]!);
      if (params.length > 1 || !name || !io.items.some((i) => i.code === name)) {
        return odataError({ status: 400, code: 'invalid_metadata_parameter', message: 'The query parameters cannot be parsed to an entity type.' }, false);
      }
      onlyItem = name;
    }
    try {
      const xml = this.edmx(io, onlyItem);
      return {
        status: 200,
        headers: { 'Content-Type': 'application/xml', DataServiceVersion: '1.0' },
        body: request.method === 'HEAD' ? '' : xml,
      };
    } catch (e) {
      if (!(e instanceof SchemaError)) throw e;
      this.logger.warn(`$metadata of ${io.code}: ${e.code}: ${e.message}`);
      if (this.config.version === '2211') {
        // The 2211 help documents one generic answer; the reason is only logged (V-MD-06).
        const cyclic = /circular/i.test(e.message);
        return odataError(
          {
            status: 400,
            code: cyclic ? 'schema_generation_error' : null,
            message: 'The EDMX schema could not be generated. Please make sure that your Integration Object is defined correctly.',
          },
          false,
        );
      }
      // $metadata errors are always XML: the resource itself is XML.
      return odataError({ status: e.status, code: e.code, message: e.message }, false);
    }
  }
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}
