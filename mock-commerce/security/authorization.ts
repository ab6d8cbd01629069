/**
 * Who may do what on `/odata2webservices` (spec §9.1, §9.2, §2.5; help B-180, B-183):
 *
 * - the group × operation matrix of Commerce's Spring Security configuration, as data
 *   ({@link OPERATION_GROUPS}); verbs it does not map (PUT, MERGE, HEAD, OPTIONS, …) are denied to all;
 * - the built-in ("meta") integration objects ({@link META_INTEGRATION_OBJECTS}): they need
 *   `integrationadmingroup` on top of the matrix (else 403) and are visible only to members of their
 *   visibility group (a SearchRestriction on IntegrationObject; else the IO does not exist → 404);
 *   the monitoring ones are read-only;
 * - the DENY_ALL rule protecting the meta IOs' own definitions from PATCH/DELETE;
 * - which authentication scheme an integration object accepts (its InboundChannelConfiguration).
 *
 * Pure functions of a {@link Principal}; the router decides the order (see `authorizeOperation`).
 */
import type { Principal } from './principals.js';

export type Operation = 'metadata' | 'read' | 'create' | 'update' | 'delete' | 'other-verb';
export const OPERATIONS: readonly Operation[] = ['metadata', 'read', 'create', 'update', 'delete', 'other-verb'];

export const INTEGRATION_ADMIN_GROUP = 'integrationadmingroup';

/**
 * Groups any one of which allows the operation (spec §9.2; help B-183). Membership is transitive,
 * as `Principal.groups` is. `integrationusergroup`, `integrationservicegroup`,
 * `integrationmonitoringgroup` and `outboundsyncgroup` allow nothing on their own.
 */
export const OPERATION_GROUPS: Readonly<Record<Operation, readonly string[]>> = {
  // GET entities, an entity, a navigation, /$count, the service document
  read: ['integrationadmingroup', 'integrationviewgroup'],
  // GET /$metadata
  metadata: ['integrationadmingroup', 'integrationcreategroup', 'integrationviewgroup'],
  // POST, $batch included
  create: ['integrationadmingroup', 'integrationcreategroup'],
  // PATCH
  update: ['integrationadmingroup', 'integrationcreategroup'],
  // DELETE
  delete: ['integrationadmingroup', 'integrationdeletegroup'],
  // PUT, MERGE, HEAD, OPTIONS, PURGE, …: DENY_ALL
  'other-verb': [],
};

export interface MetaIntegrationObjectRule {
  /** Groups a user needs, all of them, besides the matrix: integrationadmingroup and the visibility group. */
  requiredGroups: readonly string[];
  /** The group whose members see the IO at all (SearchRestriction); none: visible to everyone. */
  visibilityGroup?: string;
  /** Operations the IO supports; others are forbidden even to administrators. */
  operations: readonly Operation[];
}

const ALL_OPERATIONS: readonly Operation[] = ['metadata', 'read', 'create', 'update', 'delete'];
const READ_ONLY: readonly Operation[] = ['metadata', 'read'];

/**
 * The built-in integration objects and what they need (spec §2.5, §9.2; help B-183, §1.M–§1.O).
 * ScriptService and RuntimeAttributeService are 2011+ and come from the help only.
 */
export const META_INTEGRATION_OBJECTS: Readonly<Record<string, MetaIntegrationObjectRule>> = {
  IntegrationService: { requiredGroups: [INTEGRATION_ADMIN_GROUP, 'integrationservicegroup'], visibilityGroup: 'integrationservicegroup', operations: ALL_OPERATIONS },
  OutboundChannelConfig: { requiredGroups: [INTEGRATION_ADMIN_GROUP, 'outboundsyncgroup'], visibilityGroup: 'outboundsyncgroup', operations: ALL_OPERATIONS },
  InboundIntegrationMonitoring: { requiredGroups: [INTEGRATION_ADMIN_GROUP, 'integrationmonitoringgroup'], visibilityGroup: 'integrationmonitoringgroup', operations: READ_ONLY },
  OutboundIntegrationMonitoring: { requiredGroups: [INTEGRATION_ADMIN_GROUP, 'integrationmonitoringgroup'], visibilityGroup: 'integrationmonitoringgroup', operations: READ_ONLY },
  WebhookService: { requiredGroups: [INTEGRATION_ADMIN_GROUP, 'webhookservicegroup'], visibilityGroup: 'webhookservicegroup', operations: ALL_OPERATIONS },
  ScriptService: { requiredGroups: [INTEGRATION_ADMIN_GROUP, 'scriptservicegroup'], visibilityGroup: 'scriptservicegroup', operations: ALL_OPERATIONS },
  RuntimeAttributeService: { requiredGroups: [INTEGRATION_ADMIN_GROUP], operations: ALL_OPERATIONS },
};

export function isMetaIntegrationObject(ioCode: string): boolean {
  return Object.hasOwn(META_INTEGRATION_OBJECTS, ioCode);
}

/**
 * The operation of a request: `method` as received, `resource` the decoded path segments after the
 * integration object code (`[]` for the service document, `['$metadata']`, `['Products', …]`).
 */
export function operationOf(method: string, resource: readonly string[] = []): Operation {
  switch (method.toUpperCase()) {
    case 'GET':
      return resource.length === 1 && resource[0] === '$metadata' ? 'metadata' : 'read';
    case 'POST':
      return 'create';
    case 'PATCH':
      return 'update';
    case 'DELETE':
      return 'delete';
    default:
      return 'other-verb';
  }
}

/**
 * Commerce's DENY_ALL on `/IntegrationService/IntegrationObject*s('*IntegrationMonitoring')`,
 * `…('*IntegrationService')` and `…('*OutboundChannelConfig')`: the meta IOs' own definitions (and
 * their items, whose keys end with the IO code) cannot be changed or deleted through the API. The
 * pattern matches the whole path, so `$batch` and deeper paths are not covered (as in Commerce).
 */
const PROTECTED_DEFINITION = /^IntegrationObject[^/]*s\('[^/]*(?:IntegrationMonitoring|IntegrationService|OutboundChannelConfig)'\)$/;

export function isProtectedMetaDefinition(ioCode: string, resource: readonly string[]): boolean {
  return ioCode === 'IntegrationService' && resource.length === 1 && PROTECTED_DEFINITION.test(resource[0]!);
}

/**
 * Spring Security's decision (403 when forbidden): the matrix; for a meta IO also integrationadmingroup
 * and the IO's supported operations; PATCH/DELETE of a meta IO definition is forbidden to everyone.
 * Visibility (404) is {@link isVisible}'s business.
 *
 * Commerce runs this before it resolves the integration object, so a user without any integration
 * group gets 403 for an unknown IO too: call it before the 404 checks (IO exists, exposed, visible).
 * For a meta IO the two checks are independent: a visibility-group member without
 * integrationadmingroup gets 403; an administrator outside the visibility group gets 404.
 */
export function authorizeOperation(
  principal: Pick<Principal, 'groups'>,
  operation: Operation,
  ioCode?: string,
  resource: readonly string[] = [],
): 'allowed' | 'forbidden' {
  if (!OPERATION_GROUPS[operation].some((g) => principal.groups.has(g))) return 'forbidden';
  if (ioCode !== undefined) {
    const meta = META_INTEGRATION_OBJECTS[ioCode];
    if (meta && (!principal.groups.has(INTEGRATION_ADMIN_GROUP) || !meta.operations.includes(operation))) return 'forbidden';
    if ((operation === 'update' || operation === 'delete') && isProtectedMetaDefinition(ioCode, resource)) return 'forbidden';
  }
  return 'allowed';
}

/**
 * Whether the integration object exists for this user: meta IOs only for members of their visibility
 * group (Commerce's SearchRestrictions); every other IO for everyone (its exposure is a separate check).
 */
export function isVisible(principal: Pick<Principal, 'groups'>, ioCode: string): boolean {
  const group = META_INTEGRATION_OBJECTS[ioCode]?.visibilityGroup;
  return group === undefined || principal.groups.has(group);
}

export type ChannelAuthenticationType = 'BASIC' | 'OAUTH';
export type AuthenticationScheme = 'basic' | 'bearer';

/**
 * Whether a request authenticated with `scheme` may reach an integration object whose
 * InboundChannelConfiguration says `icc` (spec §9.1: BasicAuthMatcher/OAuthMatcher). A configured IO
 * accepts only its scheme (the other → 401 from the chain that does not recognise the credentials);
 * an IO without configuration is served by the Basic chain. `legacyEnabled`
 * (`integrationservices.legacy.authentication.enabled`) does not change the scheme: it decides whether
 * an IO without configuration is exposed at all (2211 default: not exposed → 404 after Basic
 * authentication), which is the exposure check's business. When the IO cannot be resolved from the URL,
 * Commerce picks the chain by the `Authorization` prefix: do not call this then.
 */
export function authenticationSchemeAllowed(icc: ChannelAuthenticationType | undefined, scheme: AuthenticationScheme, _legacyEnabled: boolean): boolean {
  if (icc === 'OAUTH') return scheme === 'bearer';
  return scheme === 'basic';
}
