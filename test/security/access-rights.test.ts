/**
 * Type-level access rights from `$START_USERRIGHTS` blocks (spec §9.2, §8.4; help B-184, V-GET-24,
 * V-POST-09, V-AUTH-02, E41): parsing, inheritance along types and groups, the 2005 switch, the
 * built-in meta-type rights and the 403 document.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CommerceConfig } from '../../mock-commerce/config/profile.js';
import {
  AccessRights,
  forbiddenMessage,
  forbiddenResponse,
  PERMISSIONS,
  requiredPermission,
  type Permission,
} from '../../mock-commerce/security/access-rights.js';
import type { Principal } from '../../mock-commerce/security/principals.js';
import { DEMO } from '../helpers/commerce.js';
import { importText, principal, SECURITY_FIXTURES, securityStore } from './store.js';

const ACCESS_RIGHTS = join(SECURITY_FIXTURES, 'access-rights.impex');
const BROKEN = join(SECURITY_FIXTURES, 'broken-user-rights.impex');
const DEMO_USERS = join(DEMO, 'impex', '20-users.impex');
const ENABLED = { enabled: new CommerceConfig('2211').bool('integrationservices.authorization.accessrights.enabled') };

/** The four rights as a string, e.g. `rccr` (read, change, create, remove) or `r---`. */
function rightsOf(rights: AccessRights, who: Principal, type: string): string {
  return PERMISSIONS.map((perm) => (rights.check(who, type, perm) ? perm[0] : '-')).join('');
}

describe('the demo project’s user rights (demo/impex/20-users.impex)', () => {
  const { store, userRights } = securityStore(DEMO_USERS);
  const rights = new AccessRights(store, ENABLED, userRights, DEMO_USERS);
  const user = principal(store, 'integrationuser');
  const rw = (type: string): string => rightsOf(rights, user, type);

  it('parses one block with no problems', () => {
    expect(userRights).toHaveLength(1);
    expect(rights.diagnostics).toEqual([]);
    expect(rights.declaredPrincipals).toEqual([{ type: 'UserGroup', uid: 'integrationadmingroup', memberOfGroups: [], file: DEMO_USERS, line: expect.any(Number) }]);
  });

  it('grants integrationadmingroup’s rights to its member, column by column', () => {
    expect(rw('Product')).toBe('rccr');
    expect(rw('CatalogVersion')).toBe('rccr');
    expect(rw('Order')).toBe('rccr');
    expect(rw('User')).toBe('r---');
    expect(rw('Currency')).toBe('r---');
    expect(rw('Media')).toBe('rcc-');
  });

  it('applies to subtypes, and nothing set means no right', () => {
    expect(rw('VariantProduct')).toBe('rccr');
    expect(rw('Employee')).toBe('r---');
    expect(rw('Unit')).toBe('----');
    expect(rights.explain(user, 'Unit', 'read')).toEqual({ kind: 'not-set' });
    expect(rights.explain(user, 'Employee', 'read')).toEqual({ kind: 'setting', principal: 'integrationadmingroup', type: 'User', granted: true, distance: 1 });
  });

  it('2005 (access rights off): everything is allowed', () => {
    const off = new AccessRights(store, { enabled: new CommerceConfig('2005').bool('integrationservices.authorization.accessrights.enabled') }, userRights);
    expect(off.enabled).toBe(false);
    for (const type of ['Unit', 'Product', 'NoSuchType']) for (const p of PERMISSIONS) expect(off.check(user, type, p)).toBe(true);
    // The 2211 property can be switched off too.
    const overridden = new CommerceConfig('2211', { 'integrationservices.authorization.accessRights.enabled': 'false' });
    expect(new AccessRights(store, { enabled: overridden.bool('integrationservices.authorization.accessrights.enabled') }).check(user, 'Unit', 'read')).toBe(true);
  });

  it('the admin user is never restricted', () => {
    expect(rightsOf(rights, principal(store, 'admin'), 'Unit')).toBe('rccr');
  });
});

describe('inheritance, grant and deny', () => {
  const { store, userRights } = securityStore(ACCESS_RIGHTS);
  const rights = new AccessRights(store, ENABLED, userRights, ACCESS_RIGHTS);
  const can = (uid: string, type: string, p: Permission) => rights.check(principal(store, uid), type, p);

  it('parses both blocks cleanly', () => {
    expect(userRights).toHaveLength(2);
    expect(rights.diagnostics).toEqual([]);
    expect(rights.declaredPrincipals.map((d) => `${d.type}:${d.uid}`)).toEqual([
      'UserGroup:catalogreaders',
      'UserGroup:catalogeditors',
      'UserGroup:productdeniers',
      'Employee:torn',
      'UserGroup:integrationadmingroup',
    ]);
  });

  it('a group’s grant reaches members of its member groups (catalogeditors ⊂ catalogreaders)', () => {
    expect(can('reader', 'Product', 'read')).toBe(true);
    expect(can('editor', 'Product', 'read')).toBe(true);
    expect(can('editor', 'Catalog', 'read')).toBe(true);
  });

  it('the nearer group wins: catalogeditors’ grant of change beats catalogreaders’ deny', () => {
    expect(can('reader', 'Product', 'change')).toBe(false);
    expect(can('editor', 'Product', 'change')).toBe(true);
    expect(rights.explain(principal(store, 'editor'), 'Product', 'change')).toMatchObject({ principal: 'catalogeditors', granted: true, distance: 1 });
  });

  it('the nearest type wins: a deny on VariantProduct beats the grant on Product', () => {
    expect(can('editor', 'VariantProduct', 'change')).toBe(false);
    expect(can('editor', 'VariantProduct', 'create')).toBe(true); // inherited from Product
    expect(rights.explain(principal(store, 'editor'), 'VariantProduct', 'create')).toMatchObject({ type: 'Product', granted: true });
  });

  it('deny wins over grant at the same distance (torn is in catalogreaders and productdeniers)', () => {
    expect(can('torn', 'Product', 'read')).toBe(false);
    expect(rights.explain(principal(store, 'torn'), 'Product', 'read')).toMatchObject({ principal: 'productdeniers', granted: false, distance: 1 });
  });

  it("the user's own setting beats its groups'", () => {
    expect(can('reader', 'Catalog', 'read')).toBe(true);
    expect(can('torn', 'Catalog', 'read')).toBe(false);
    expect(rights.explain(principal(store, 'torn'), 'Catalog', 'read')).toMatchObject({ principal: 'torn', distance: 0 });
  });

  it('the type hierarchy is walked before the principal hierarchy: a group’s setting on the type beats the user’s on a supertype', () => {
    const local = new AccessRights(store, ENABLED, userRights);
    local.set('reader', 'Product', 'remove', false);
    local.set('catalogreaders', 'VariantProduct', 'remove', true);
    expect(local.check(principal(store, 'reader'), 'VariantProduct', 'remove')).toBe(true);
    expect(local.check(principal(store, 'reader'), 'Product', 'remove')).toBe(false);
  });

  it('a right on a supertype (Item) reaches everything', () => {
    const local = new AccessRights(store, ENABLED);
    local.set('catalogreaders', 'Item', 'read', true);
    expect(local.check(principal(store, 'reader'), 'Unit', 'read')).toBe(true);
    expect(local.check(principal(store, 'reader'), 'ArticleApprovalStatus', 'read')).toBe(true); // an enumeration type
    expect(local.check(principal(store, 'reader'), 'Unit', 'change')).toBe(false);
  });

  it('attribute-level targets are stored but not checked; change_perm is kept as changerights', () => {
    expect(rights.attributeSetting('catalogreaders', 'Product.code', 'read')).toBe(true);
    expect(rights.attributeSetting('catalogreaders', 'Product.code', 'change')).toBe(false);
    expect(rights.setting('catalogreaders', 'Product.code', 'read')).toBeUndefined();
    expect(rights.setting('catalogeditors', 'VariantProduct', 'changerights')).toBe(true);
  });

  it('an empty cell leaves an earlier setting as it is; a later + or - overrides it', () => {
    const { store: s, userRights: blocks } = securityStore(ACCESS_RIGHTS);
    const more = importText(
      s,
      [
        '$START_USERRIGHTS',
        'Type;UID;MemberOfGroups;Password;Target;read;change;create;remove',
        'UserGroup;catalogreaders;;;;;;;',
        ';;;;Product;;+;;',
        '$END_USERRIGHTS',
      ].join('\n'),
    ).userRights;
    const local = new AccessRights(s, ENABLED, [...blocks, ...more]);
    expect(local.setting('catalogreaders', 'Product', 'read')).toBe(true);
    expect(local.setting('catalogreaders', 'Product', 'change')).toBe(true);
  });

  it('V-GET-24 / V-POST-09: OrderEntry without read', () => {
    const p = principal(store, 'ordering');
    expect(rightsOf(rights, p, 'Order')).toBe('rccr');
    expect(rightsOf(rights, p, 'OrderEntry')).toBe('-ccr');
    expect(forbiddenMessage('read', 'OrderEntry')).toBe('The user lacks read privileges for accessing the OrderEntry type.');
  });
});

describe('built-in rights on the meta types (help B-184)', () => {
  const { store } = securityStore();
  importText(
    store,
    [
      'INSERT_UPDATE Employee; uid[unique = true]; password; groups(uid)',
      '; metaadmin ; pw ; integrationadmingroup,integrationservicegroup',
      '; monitor ; pw ; integrationadmingroup,integrationmonitoringgroup',
      '; viewer ; pw ; integrationviewgroup',
    ].join('\n'),
  );
  const rights = new AccessRights(store, ENABLED);
  const rw = (uid: string, type: string) => rightsOf(rights, principal(store, uid), type);

  it('integrationadmingroup: every right on the administration types', () => {
    for (const type of ['IntegrationObject', 'IntegrationObjectItem', 'IntegrationObjectItemAttribute', 'InboundChannelConfiguration', 'OutboundChannelConfiguration', 'ConsumedDestination', 'BasicCredential', 'WebhookConfiguration', 'ComposedType']) {
      expect(rw('metaadmin', type), type).toBe('rccr');
    }
    expect(rw('metaadmin', 'Product')).toBe('----');
  });

  it('integrationmonitoringgroup: read only on the monitoring types', () => {
    for (const type of ['InboundRequest', 'InboundRequestError', 'OutboundRequest', 'IntegrationRequestStatus']) expect(rw('monitor', type), type).toBe('r---');
    expect(rw('viewer', 'InboundRequest')).toBe('----');
  });

  it('ImpEx overrides them, and they can be left out', () => {
    const { store: s } = securityStore();
    const blocks = importText(s, ['$START_USERRIGHTS', 'Type;UID;MemberOfGroups;Password;Target;read;change;create;remove', 'UserGroup;integrationadmingroup;;;;;;;', ';;;;IntegrationObject;;;;-', '$END_USERRIGHTS'].join('\n')).userRights;
    const admin = { uid: 'x', pk: -1, groups: new Set(['integrationadmingroup']) };
    expect(new AccessRights(s, ENABLED, blocks).check(admin, 'IntegrationObject', 'remove')).toBe(false);
    expect(new AccessRights(s, ENABLED, blocks).check(admin, 'IntegrationObject', 'change')).toBe(true);
    expect(new AccessRights(s, { ...ENABLED, builtinRights: false }).check(admin, 'IntegrationObject', 'read')).toBe(false);
  });
});

describe('user-rights diagnostics', () => {
  it('reports every problem with its line and keeps the good lines', () => {
    const { store, userRights } = securityStore(BROKEN);
    const rights = new AccessRights(store, ENABLED, userRights, 'broken.impex');
    expect(rights.diagnostics).toEqual([
      { file: 'broken.impex', line: 4, message: 'rights on Product before any principal line' },
      { file: 'broken.impex', line: 6, message: 'unknown type NoSuchType in Target' },
      { file: 'broken.impex', line: 7, message: 'unknown attribute Product.nope in Target' },
      { file: 'broken.impex', line: 8, message: 'read of Unit: expected +, - or empty, got yes' },
      { file: 'broken.impex', line: 9, message: 'Catalog is not a principal type; its rights are ignored' },
      { file: 'broken.impex', line: 11, message: 'a principal line needs both Type and UID' },
      { file: 'broken.impex', line: 14, message: 'user rights header needs Type, UID and Target columns, got: Who;Target;read' },
    ]);
    expect(rights.setting('catalogreaders', 'Unit', 'change')).toBe(true);
    expect(rights.setting('catalogreaders', 'Unit', 'read')).toBeUndefined();
    expect(rights.setting('Default', 'Product', 'read')).toBeUndefined();
  });
});

describe('principals a user-rights block declares', () => {
  it('are created when missing, with their MemberOfGroups', () => {
    const { store } = securityStore();
    const blocks = importText(
      store,
      [
        '$START_USERRIGHTS',
        'Type;UID;MemberOfGroups;Password;Target;read;change;create;remove',
        'UserGroup;productviewers;integrationviewgroup,nosuchgroup;;;;;;',
        ';;;;Product;+;;;',
        'Employee;newbie;productviewers;secret;;;;;',
        'Principal;abstractone;;;;;;;',
        '$END_USERRIGHTS',
      ].join('\n'),
      'declare.impex',
    ).userRights;
    const rights = new AccessRights(store, ENABLED, blocks, 'declare.impex');
    expect(rights.createDeclaredPrincipals()).toEqual([
      { file: 'declare.impex', line: 3, message: 'unknown group nosuchgroup in MemberOfGroups of productviewers' },
      { file: 'declare.impex', line: 6, message: 'cannot create abstractone: Principal is abstract' },
    ]);
    const newbie = principal(store, 'newbie');
    expect([...newbie.groups].sort()).toEqual(['integrationusergroup', 'integrationviewgroup', 'productviewers']);
    expect(rights.check(newbie, 'Product', 'read')).toBe(true);
    expect(store.find('Employee', { uid: 'newbie' })[0]!.values.password).toBe('secret');
    // Idempotent.
    expect(rights.createDeclaredPrincipals()).toHaveLength(2);
    expect(store.find('UserGroup', { uid: 'productviewers' })).toHaveLength(1);
    expect(store.find('Employee', { uid: 'newbie' })[0]!.values.groups).toHaveLength(1);
  });
});

describe('the 403 answer', () => {
  it('message text (help B-184, E41)', () => {
    expect(forbiddenMessage('read', 'OrderEntry')).toBe('The user lacks read privileges for accessing the OrderEntry type.');
    expect(forbiddenMessage('change', 'Order')).toBe('The user lacks change privileges for accessing the Order type.');
    expect(forbiddenMessage('create', 'Product')).toBe('The user lacks create privileges for accessing the Product type.');
    expect(forbiddenMessage('remove', 'Unit')).toBe('The user lacks remove privileges for accessing the Unit type.');
  });

  it('the OData error document, JSON and XML', () => {
    const j = forbiddenResponse('read', 'OrderEntry', true);
    expect(j.status).toBe(403);
    expect(j.body).toBe('{"error":{"code":"forbidden","message":{"lang":"en","value":"The user lacks read privileges for accessing the OrderEntry type."}}}');
    const x = forbiddenResponse('change', 'Order', false);
    expect(x.status).toBe(403);
    expect(x.headers['Content-Type']).toBe('application/xml');
    expect(x.body).toBe(
      `<?xml version='1.0' encoding='UTF-8'?><error xmlns="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"><code>forbidden</code><message xml:lang="en">The user lacks change privileges for accessing the Order type.</message></error>`,
    );
  });

  it('the permission an operation needs', () => {
    expect(requiredPermission('GET', true)).toBe('read');
    expect(requiredPermission('POST', false)).toBe('create');
    expect(requiredPermission('POST', true)).toBe('change');
    expect(requiredPermission('PATCH', true)).toBe('change');
    expect(requiredPermission('DELETE', true)).toBe('remove');
    expect(requiredPermission('PUT', true)).toBeUndefined();
  });
});
