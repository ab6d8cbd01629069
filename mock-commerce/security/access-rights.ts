/**
 * Type-level access rights (spec §9.2, §8.4 `forbidden`; help B-184, V-GET-24, V-POST-09, V-AUTH-02):
 * with `integrationservices.authorization.accessRights.enabled` (2211 default on, 2005 off), the user
 * needs the platform right (read, change, create, remove) on every type a request touches, else 403
 * `forbidden` "The user lacks <permission> privileges for accessing the <Type> type.".
 *
 * Rights come from ImpEx `$START_USERRIGHTS` blocks:
 *
 *     Type      ; UID                   ; MemberOfGroups ; Password ; Target  ; read ; change ; create ; remove ; change_perm
 *     UserGroup ; integrationadmingroup ;                ;          ;         ;      ;        ;        ;        ;
 *               ;                       ;                ;          ; Product ; +    ; +      ; -      ;        ;
 *
 * A line with a Type and UID names the principal the following lines (empty Type and UID) grant to;
 * `+` grants, `-` denies, empty leaves the right as it is. Columns are found by header name
 * (case-insensitive); every column after the first five is a permission named by its header.
 * `Target` `Type.attribute` is an attribute-level right: kept ({@link AccessRights.attributeSetting})
 * but not checked. Later lines override earlier ones.
 *
 * Resolution of `check(principal, type, permission)`:
 * 1. the type hierarchy, nearest first (the type, then its supertypes up to `Item`; an enumeration
 *    type continues with `EnumerationValue`): the first type with a setting decides;
 * 2. for each type, the principal hierarchy, nearest first: the user's own setting, then its direct
 *    groups, then their groups, and so on (breadth-first, each group at its shortest distance); at one
 *    distance a deny wins over a grant;
 * 3. nothing set anywhere: not granted.
 * The `admin` user is never restricted. Being in `admingroup` gives no bypass (integrationadmingroup is
 * in admingroup, yet Commerce's help has its rights granted type by type).
 *
 * Built-in defaults (help B-184), overridable by ImpEx: integrationadmingroup has all four rights on
 * the types of the administration meta IOs (IntegrationService, OutboundChannelConfig, WebhookService,
 * ScriptService, RuntimeAttributeService), integrationmonitoringgroup read on the monitoring types.
 */
import { odataError } from '../odata/errors.js';
import type { HttpResponse } from '../http/types.js';
import type { UserRightsBlock } from '../impex/parse.js';
import type { Item, ItemStore, Pk, StoredValue } from '../store/store.js';
import type { Principal } from './principals.js';

export type Permission = 'read' | 'change' | 'create' | 'remove';
export const PERMISSIONS: readonly Permission[] = ['read', 'change', 'create', 'remove'];

/** The 403 message of a failed type check (help B-184, E41; spec §8.4). */
export function forbiddenMessage(permission: Permission, typeCode: string): string {
  return `The user lacks ${permission} privileges for accessing the ${typeCode} type.`;
}

/** The OData error document of a failed type check: 403 `forbidden`, JSON or XML. */
export function forbiddenResponse(permission: Permission, typeCode: string, json: boolean): HttpResponse {
  return odataError({ status: 403, code: 'forbidden', message: forbiddenMessage(permission, typeCode) }, json);
}

/**
 * The right an operation needs on a type (help B-184): GET → read, DELETE → remove, POST → create for
 * a new item and change for an existing one, PATCH → change.
 */
export function requiredPermission(method: string, itemExists: boolean): Permission | undefined {
  switch (method.toUpperCase()) {
    case 'GET':
      return 'read';
    case 'DELETE':
      return 'remove';
    case 'PATCH':
      return 'change';
    case 'POST':
      return itemExists ? 'change' : 'create';
    default:
      return undefined;
  }
}

/** Types of the administration meta IOs (spec §2.5; help B-184): integrationadmingroup, all rights. */
export const ADMINISTRATION_META_TYPES: readonly string[] = [
  // IntegrationService
  'IntegrationObject',
  'IntegrationObjectItem',
  'AbstractIntegrationObjectItemAttribute',
  'IntegrationObjectItemAttribute',
  'IntegrationObjectItemClassificationAttribute',
  'IntegrationType',
  'ItemTypeMatchEnum',
  'ClassificationSystem',
  'ClassificationSystemVersion',
  'ClassAttributeAssignment',
  'ClassificationClass',
  'ClassificationAttribute',
  'AttributeDescriptor',
  'ComposedType',
  'InboundChannelConfiguration',
  'AuthenticationType',
  // OutboundChannelConfig
  'OutboundChannelConfiguration',
  'OutboundSyncStreamConfigurationContainer',
  'OutboundSyncStreamConfiguration',
  'OutboundSyncJob',
  'OutboundSyncCronJob',
  'Trigger',
  'ConsumedDestination',
  'DestinationTarget',
  'Endpoint',
  'AbstractCredential',
  'BasicCredential',
  'ConsumedOAuthCredential',
  // WebhookService
  'WebhookConfiguration',
  'EventConfiguration',
  'DestinationChannel',
  // ScriptService
  'Script',
];

/**
 * Types of the monitoring meta IOs (spec §2.5; help B-184): integrationmonitoringgroup, read only.
 * `User` is the type of the IOs' `InboundUser` item (the request's user).
 */
export const MONITORING_META_TYPES: readonly string[] = [
  'MonitoredRequest',
  'InboundRequest',
  'InboundRequestError',
  'OutboundRequest',
  'IntegrationRequestStatus',
  'User',
];

export interface BuiltinRight {
  principal: string;
  types: readonly string[];
  permissions: readonly Permission[];
}

export const BUILTIN_RIGHTS: readonly BuiltinRight[] = [
  { principal: 'integrationadmingroup', types: ADMINISTRATION_META_TYPES, permissions: PERMISSIONS },
  { principal: 'integrationmonitoringgroup', types: MONITORING_META_TYPES, permissions: ['read'] },
];

export interface AccessRightsDiagnostic {
  file?: string;
  line: number;
  message: string;
}

/** A principal line of a user-rights block: Commerce creates the principal when it does not exist. */
export interface DeclaredPrincipal {
  type: string;
  uid: string;
  memberOfGroups: string[];
  password?: string;
  file?: string;
  line: number;
}

/** Why `check` answered as it did. */
export type CheckReason =
  | { kind: 'disabled' }
  | { kind: 'admin' }
  | { kind: 'setting'; principal: string; type: string; granted: boolean; distance: number }
  | { kind: 'not-set' };

export interface AccessRightsOptions {
  /** `integrationservices.authorization.accessrights.enabled`; off: `check` always allows. */
  enabled: boolean;
  /** Apply {@link BUILTIN_RIGHTS} (default true). */
  builtinRights?: boolean;
}

type Settings = Map<string, boolean>; // permission → granted

const KNOWN_COLUMNS = ['type', 'uid', 'memberofgroups', 'password', 'target'] as const;

export class AccessRights {
  readonly enabled: boolean;
  readonly diagnostics: AccessRightsDiagnostic[] = [];
  readonly declaredPrincipals: DeclaredPrincipal[] = [];
  /** principal uid → type code → settings */
  private readonly typeRights = new Map<string, Map<string, Settings>>();
  /** principal uid → `Type.attribute` → settings */
  private readonly attributeRights = new Map<string, Map<string, Settings>>();

  constructor(
    private readonly store: ItemStore,
    options: AccessRightsOptions,
    blocks: readonly UserRightsBlock[] = [],
    file?: string,
  ) {
    this.enabled = options.enabled;
    if (options.builtinRights !== false) {
      for (const right of BUILTIN_RIGHTS) {
        for (const type of right.types) for (const p of right.permissions) this.set(right.principal, type, p, true);
      }
    }
    this.addBlocks(blocks, file);
  }

  /** Reads user-rights blocks (e.g. `importImpex(...).userRights`), in order; problems go to `diagnostics`. */
  addBlocks(blocks: readonly UserRightsBlock[], file?: string): void {
    for (const block of blocks) this.addBlock(block, file);
  }

  /** Sets (true/false) or clears (undefined) one right of a principal on a type or `Type.attribute`. */
  set(principalUid: string, target: string, permission: string, granted: boolean | undefined): void {
    const table = target.includes('.') ? this.attributeRights : this.typeRights;
    let perPrincipal = table.get(principalUid);
    if (!perPrincipal) table.set(principalUid, (perPrincipal = new Map()));
    let settings = perPrincipal.get(target);
    if (!settings) perPrincipal.set(target, (settings = new Map()));
    if (granted === undefined) settings.delete(permission);
    else settings.set(permission, granted);
  }

  /** The principal's own explicit setting on exactly this type (no inheritance). */
  setting(principalUid: string, typeCode: string, permission: string): boolean | undefined {
    return this.typeRights.get(principalUid)?.get(typeCode)?.get(permission);
  }

  /** An attribute-level setting (`Type.attribute`), stored but not used by `check`. */
  attributeSetting(principalUid: string, target: string, permission: string): boolean | undefined {
    return this.attributeRights.get(principalUid)?.get(target)?.get(permission);
  }

  /** Whether the principal has the right on the type (always true when access rights are off). */
  check(principal: Pick<Principal, 'uid' | 'pk' | 'groups'>, typeCode: string, permission: Permission): boolean {
    const reason = this.explain(principal, typeCode, permission);
    return reason.kind === 'disabled' || reason.kind === 'admin' || (reason.kind === 'setting' && reason.granted);
  }

  /** `check`'s answer with the setting that decided it. */
  explain(principal: Pick<Principal, 'uid' | 'pk' | 'groups'>, typeCode: string, permission: Permission): CheckReason {
    if (!this.enabled) return { kind: 'disabled' };
    if (principal.uid === 'admin') return { kind: 'admin' };
    const levels = this.principalLevels(principal);
    for (const type of this.typeChain(typeCode)) {
      for (let distance = 0; distance < levels.length; distance++) {
        let granted: string | undefined;
        for (const uid of levels[distance]!) {
          const value = this.setting(uid, type, permission);
          if (value === false) return { kind: 'setting', principal: uid, type, granted: false, distance };
          if (value === true) granted ??= uid;
        }
        if (granted !== undefined) return { kind: 'setting', principal: granted, type, granted: true, distance };
      }
    }
    return { kind: 'not-set' };
  }

  /**
   * Creates the principals the blocks name that the store lacks (as Commerce's user-rights import does)
   * and adds their `MemberOfGroups`; returns problems (unknown groups). Optional: the loader decides.
   */
  createDeclaredPrincipals(): AccessRightsDiagnostic[] {
    const problems: AccessRightsDiagnostic[] = [];
    for (const d of this.declaredPrincipals) {
      let principal = this.store.find('Principal', { uid: d.uid })[0];
      if (!principal) {
        if (this.store.typeSystem.composedType(d.type)?.abstract) {
          problems.push({ ...(d.file ? { file: d.file } : {}), line: d.line, message: `cannot create ${d.uid}: ${d.type} is abstract` });
          continue;
        }
        principal = this.store.create(d.type, { uid: d.uid, ...(d.password ? { password: d.password } : {}) });
      }
      const groups = pkList(principal.values.groups);
      for (const uid of d.memberOfGroups) {
        const group = this.store.find('PrincipalGroup', { uid })[0];
        if (!group) {
          problems.push({ ...(d.file ? { file: d.file } : {}), line: d.line, message: `unknown group ${uid} in MemberOfGroups of ${d.uid}` });
          continue;
        }
        if (!groups.includes(group.pk)) groups.push(group.pk);
      }
      if (groups.length !== pkList(principal.values.groups).length) this.store.update(principal.pk, { groups });
    }
    return problems;
  }

  // ---- resolution ----

  private typeChain(typeCode: string): string[] {
    const ts = this.store.typeSystem;
    if (ts.hasComposedType(typeCode)) return ts.supertypeChain(typeCode);
    if (ts.enumType(typeCode)) return [typeCode, ...ts.supertypeChain('EnumerationValue')];
    return [typeCode];
  }

  /** [[uid], [direct groups], [their groups], …], each group at its shortest distance. */
  private principalLevels(principal: Pick<Principal, 'uid' | 'pk' | 'groups'>): string[][] {
    const user = this.store.get(principal.pk);
    if (!user) return [[principal.uid], [...principal.groups]];
    const levels: string[][] = [[principal.uid]];
    const seen = new Set<Pk>([user.pk]);
    let frontier: Item[] = [user];
    while (frontier.length > 0) {
      const next: Item[] = [];
      for (const item of frontier) {
        for (const pk of pkList(item.values.groups)) {
          if (seen.has(pk)) continue;
          seen.add(pk);
          const group = this.store.get(pk);
          if (group) next.push(group);
        }
      }
      const uids = next.map((g) => g.values.uid).filter((u): u is string => typeof u === 'string');
      if (uids.length > 0) levels.push(uids);
      frontier = next;
    }
    return levels;
  }

  // ---- ImpEx ----

  private addBlock(block: UserRightsBlock, file?: string): void {
    const problem = (line: number, message: string): void => {
      this.diagnostics.push({ ...(file ? { file } : {}), line, message });
    };
    const header = block.header.map((h) => h.trim().toLowerCase());
    const column = (name: (typeof KNOWN_COLUMNS)[number]): number => header.indexOf(name);
    const [typeCol, uidCol, groupsCol, passwordCol, targetCol] = KNOWN_COLUMNS.map(column) as [number, number, number, number, number];
    if (typeCol < 0 || uidCol < 0 || targetCol < 0) {
      problem(block.line, `user rights header needs Type, UID and Target columns, got: ${block.header.join(';')}`);
      return;
    }
    const permissionCols = header
      .map((name, index) => ({ name: name === 'change_perm' ? 'changerights' : name, index }))
      .filter((c) => c.name !== '' && !(KNOWN_COLUMNS as readonly string[]).includes(c.name));

    const ts = this.store.typeSystem;
    let current: string | undefined;
    let skipping = false;
    for (const row of block.rows) {
      const cell = (i: number): string => (i >= 0 ? (row.cells[i] ?? '').trim() : '');
      const type = cell(typeCol);
      const uid = cell(uidCol);
      const target = cell(targetCol);
      if (type !== '' || uid !== '') {
        if (type === '' || uid === '') {
          problem(row.line, 'a principal line needs both Type and UID');
          current = undefined;
          skipping = true;
          continue;
        }
        if (!ts.hasComposedType(type) || !ts.isSubtypeOf(type, 'Principal')) {
          problem(row.line, `${type} is not a principal type; its rights are ignored`);
          current = undefined;
          skipping = true;
          continue;
        }
        current = uid;
        skipping = false;
        const groups = cell(groupsCol).split(',').map((g) => g.trim()).filter((g) => g !== '');
        const password = cell(passwordCol);
        this.declaredPrincipals.push({ type, uid, memberOfGroups: groups, ...(password ? { password } : {}), ...(file ? { file } : {}), line: row.line });
      }
      if (target === '') continue;
      if (current === undefined) {
        if (!skipping) problem(row.line, `rights on ${target} before any principal line`);
        continue;
      }
      const dot = target.indexOf('.');
      const typeCode = dot < 0 ? target : target.slice(0, dot);
      if (!ts.hasComposedType(typeCode) && !ts.enumType(typeCode)) {
        problem(row.line, `unknown type ${typeCode} in Target`);
        continue;
      }
      if (dot >= 0 && !ts.attribute(typeCode, target.slice(dot + 1))) {
        problem(row.line, `unknown attribute ${target} in Target`);
        continue;
      }
      for (const { name, index } of permissionCols) {
        const value = cell(index);
        if (value === '') continue;
        if (value !== '+' && value !== '-') {
          problem(row.line, `${name} of ${target}: expected +, - or empty, got ${value}`);
          continue;
        }
        this.set(current, target, name, value === '+');
      }
    }
  }
}

function pkList(v: StoredValue | undefined): Pk[] {
  return Array.isArray(v) ? v.filter((x): x is Pk => typeof x === 'number') : [];
}
