/**
 * POST (upsert, always 201 with Location), PATCH (200 with the entry), DELETE (200, empty) on an
 * integration object (spec §6.1–§6.3). One store transaction per request: an error rolls everything
 * back. Persistence hooks run inside that transaction.
 */
import type { HttpRequest, HttpResponse } from '../../http/types.js';
import type { IntegrationObjectModel, IoItem } from '../../integration-objects/model.js';
import { integrationObjectValidators } from '../../integration-objects/validation.js';
import type { Item, ItemStore, StoredValue } from '../../store/store.js';
import type { Permission } from '../../security/access-rights.js';
import type { EdmSchema } from '../metadata.js';
import { ODataRequestError } from '../odata-error.js';
import { type ReadScope, findByKey, itemNode, itemTypeMatchTypes } from '../read/entities.js';
import { type JsonWriteContext, encodeKeyForUri, entryDocument } from '../read/json.js';
import type { EntityResource } from '../read/resource-path.js';
import { type PersistenceHooks, runPostPersistHook, runPrePersistHook } from './hooks.js';
import { type AtomParser, type Payload, parsePayload } from './payload.js';
import { type WriteContext, payloadKey, persistEntity, removeWithParts, storedKey } from './persist.js';

export interface WriteRequest {
  io: IntegrationObjectModel;
  schema: EdmSchema;
  store: ItemStore;
  request: HttpRequest;
  resource: EntityResource;
  /** Content-Language (persist) and Accept-Language (response) languages, already validated. */
  contentLanguage: string;
  acceptLanguage: string;
  isLanguage(isocode: string): boolean;
  readOnly: ReadonlySet<string>;
  defaultItemTypeMatch: string;
  check(permission: Permission, typeCode: string): void;
  hooks: PersistenceHooks;
  atom: AtomParser;
}

export interface WriteOutcome {
  response: HttpResponse;
  /** For monitoring: the root item's integrationKey, when known. */
  integrationKey?: string;
}

function writeContext(w: WriteRequest): WriteContext {
  return {
    io: w.io,
    store: w.store,
    language: w.contentLanguage,
    isLanguage: w.isLanguage,
    readOnly: w.readOnly,
    check: w.check,
    lookupTypes: (item) => itemTypeMatchTypes(w.store.typeSystem, item, w.defaultItemTypeMatch),
    validators: integrationObjectValidators,
  };
}

function entityResponse(w: WriteRequest, item: IoItem, stored: Item, status: number, extraHeaders: Record<string, string> = {}): HttpResponse {
  const type = w.schema.entityTypes.find((t) => t.item === item)!;
  const scope: ReadScope = { io: w.io, schema: w.schema, store: w.store, defaultItemTypeMatch: w.defaultItemTypeMatch };
  // POST and PATCH answers serialise every property, nulls included (spec §5.3), in JSON or Atom.
  const json: JsonWriteContext = { scope, serviceRoot: `${w.request.origin}/odata2webservices/${w.io.code}`, language: w.acceptLanguage, writeNulls: true };
  return {
    status,
    headers: { 'Content-Type': 'application/json', DataServiceVersion: '2.0', 'Content-Language': w.acceptLanguage, ...extraHeaders },
    body: entryDocument(json, itemNode(scope, type, stored), { children: new Map() }),
  };
}

/** Errors of persistence carry the root item's integrationKey as `innererror` (spec §8.1). */
function withInnerError(e: unknown, key: string | undefined): unknown {
  if (e instanceof ODataRequestError && e.innererror === undefined && key !== undefined && e.status < 500) {
    return new ODataRequestError(e.status, e.code, e.message, key);
  }
  return e;
}

export function executeWrite(w: WriteRequest): WriteOutcome {
  const { resource, request } = w;
  const method = request.method;
  const setType = resource.entityType;
  if (resource.navigation.length > 0 || resource.property !== undefined || resource.count) {
    throw new ODataRequestError(501, null, 'The request is not supported: writes through navigation properties are not implemented by Commerce.');
  }
  if (!setType.item) throw new ODataRequestError(404, null, `Could not find an entity set or function import for '${resource.setName}'.`);
  const item = setType.item;
  const ctx = writeContext(w);

  if (method === 'POST') {
    if (resource.key !== undefined) throw new ODataRequestError(405, null, 'The request dispatcher does not allow the HTTP method used for the request.');
    const payload = parsePayload(request.body, request.headers['content-type'], setType, w.schema, w.atom);
    let key = payloadKey(ctx, item, payload);
    try {
      const saved = w.store.transaction(() => {
        const prepared = runPrePersistHook(w.hooks, request.headers['pre-persist-hook'], { item, payload, store: w.store });
        if (prepared === null) return null; // suppressed by the hook: nothing saved, still 201
        const result = persistEntity(ctx, item, prepared, { mode: 'post', canCreate: true });
        runPostPersistHook(w.hooks, request.headers['post-persist-hook'], { item, stored: result.item, store: w.store });
        return result.item;
      });
      if (saved === null) return { response: suppressedResponse(w, item, payload, key), ...(key ? { integrationKey: key } : {}) };
      key = storedKey(ctx, item, saved);
      const location = `${w.request.origin}/odata2webservices/${w.io.code}/${resource.setName}('${encodeKeyForUri(key)}')`;
      return { response: entityResponse(w, item, saved, 201, { Location: location }), integrationKey: key };
    } catch (e) {
      throw withInnerError(e, key);
    }
  }

  if (resource.key === undefined) throw new ODataRequestError(405, null, 'The request dispatcher does not allow the HTTP method used for the request.');
  const scope: ReadScope = { io: w.io, schema: w.schema, store: w.store, defaultItemTypeMatch: w.defaultItemTypeMatch };

  if (method === 'PATCH') {
    const target = findByKey(scope, item, resource.key);
    const pathKey = storedKey(ctx, item, target);
    try {
      const payload = parsePayload(request.body, request.headers['content-type'], setType, w.schema, w.atom);
      if (item.attributes.some((a) => a.unique && payload[a.name] !== undefined)) {
        const given = payloadKey(ctx, item, payload, target);
        if (given !== undefined && given !== pathKey) {
          throw new ODataRequestError(400, 'invalid_key', `Key [${given}] in the payload does not match the key [${pathKey}] in the path.`);
        }
      }
      const saved = w.store.transaction(() => {
        const prepared = runPrePersistHook(w.hooks, request.headers['pre-persist-hook'], { item, payload, store: w.store });
        if (prepared === null) return target;
        const result = persistEntity(ctx, item, prepared, { mode: 'patch', canCreate: false, target });
        runPostPersistHook(w.hooks, request.headers['post-persist-hook'], { item, stored: result.item, store: w.store });
        return result.item;
      });
      return { response: entityResponse(w, item, w.store.get(saved.pk) ?? saved, 200), integrationKey: pathKey };
    } catch (e) {
      throw withInnerError(e, pathKey);
    }
  }

  if (method === 'DELETE') {
    const target = findByKey(scope, item, resource.key);
    const key = storedKey(ctx, item, target);
    w.store.transaction(() => removeWithParts(ctx, target));
    return { response: { status: 200, headers: { DataServiceVersion: '1.0' }, body: '' }, integrationKey: key };
  }
  throw new ODataRequestError(405, null, 'The request dispatcher does not allow the HTTP method used for the request.');
}

/**
 * A pre-persist hook that suppresses the item: nothing is saved and the answer is still 201; for a new
 * item the body echoes the payload, for an existing one it is the stored item (spec §6.1).
 */
function suppressedResponse(w: WriteRequest, item: IoItem, payload: Payload, key: string | undefined): HttpResponse {
  const ctx = writeContext(w);
  const scope: ReadScope = { io: w.io, schema: w.schema, store: w.store, defaultItemTypeMatch: w.defaultItemTypeMatch };
  if (key !== undefined) {
    try {
      const existing = findByKey(scope, item, key);
      return entityResponse(w, item, existing, 201);
    } catch {
      // not stored: echo the payload below
    }
  }
  void ctx;
  const echo: Record<string, StoredValue> = {};
  for (const [k, v] of Object.entries(payload)) if (v === null || typeof v !== 'object') echo[k] = v;
  return {
    status: 201,
    headers: { 'Content-Type': 'application/json', DataServiceVersion: '2.0', 'Content-Language': w.acceptLanguage },
    body: JSON.stringify({ d: echo }),
  };
}
