/**
 * The group × operation matrix (spec §9.2; help B-183), the meta integration objects (spec §2.5),
 * and the inbound channel scheme rule (spec §9.1). Expectations are written out here from the spec's
 * tables, independently of the data in authorization.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  authenticationSchemeAllowed,
  authorizeOperation,
  isMetaIntegrationObject,
  isProtectedMetaDefinition,
  isVisible,
  META_INTEGRATION_OBJECTS,
  operationOf,
  OPERATIONS,
  type Operation,
} from '../../mock-commerce/security/authorization.js';
import { authenticateBasic } from '../../mock-commerce/security/principals.js';
import { importText, principal, securityStore, withGroups } from './store.js';

type Row = [groups: string, metadata: boolean, read: boolean, create: boolean, update: boolean, del: boolean];

/** Spec §9.2, one row per group (or group combination); other verbs are forbidden to all. */
const MATRIX: Row[] = [
  //  groups                                              $metadata read   create  update  delete
  ['integrationadmingroup',                                true,     true,  true,   true,   true],
  ['integrationcreategroup',                               true,     false, true,   true,   false],
  ['integrationviewgroup',                                 true,     true,  false,  false,  false],
  ['integrationdeletegroup',                               false,    false, false,  false,  true],
  ['integrationusergroup',                                 false,    false, false,  false,  false],
  ['integrationservicegroup',                              false,    false, false,  false,  false],
  ['integrationmonitoringgroup',                           false,    false, false,  false,  false],
  ['outboundsyncgroup',                                    false,    false, false,  false,  false],
  ['webhookservicegroup',                                  false,    false, false,  false,  false],
  ['admingroup',                                           false,    false, false,  false,  false],
  ['employeegroup',                                        false,    false, false,  false,  false],
  ['',                                                     false,    false, false,  false,  false],
  // several groups: the union
  ['integrationcreategroup,integrationdeletegroup',        true,     false, true,   true,   true],
  ['integrationviewgroup,integrationdeletegroup',          true,     true,  false,  false,  true],
  ['integrationcreategroup,integrationviewgroup',          true,     true,  true,   true,   false],
  ['integrationservicegroup,integrationmonitoringgroup',   false,    false, false,  false,  false],
];

const OPS: Operation[] = ['metadata', 'read', 'create', 'update', 'delete'];
const groupsOf = (csv: string): string[] => csv.split(',').filter((g) => g !== '');

describe('group × operation matrix', () => {
  const cases = MATRIX.flatMap(([groups, ...allowed]) => [
    ...OPS.map((op, i) => ({ groups, op, expected: allowed[i] ? 'allowed' : 'forbidden' })),
    { groups, op: 'other-verb' as Operation, expected: 'forbidden' },
  ]);

  it.each(cases)('[$groups] $op → $expected', ({ groups, op, expected }) => {
    expect(authorizeOperation(withGroups(...groupsOf(groups)), op)).toBe(expected);
    // An ordinary integration object gives the same answer.
    expect(authorizeOperation(withGroups(...groupsOf(groups)), op, 'ThirdPartyInboundProduct', ['Products'])).toBe(expected);
  });

  it('covers every operation', () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(OPERATIONS));
  });

  it('group membership is transitive: a group inside integrationviewgroup reads; the real store’s users', () => {
    const { store } = securityStore();
    importText(
      store,
      [
        'INSERT_UPDATE UserGroup; uid[unique = true]; groups(uid)[mode = append]',
        '; productreaders ; integrationviewgroup',
        'INSERT_UPDATE Employee; uid[unique = true]; password; groups(uid)',
        '; reader ; pw ; productreaders',
        '; creator ; pw ; integrationcreategroup,integrationdeletegroup',
        '; adminuser ; pw ; integrationadmingroup',
      ].join('\n'),
    );
    const reader = authenticateBasic(store, 'reader', 'pw')!;
    expect(authorizeOperation(reader, 'read')).toBe('allowed');
    expect(authorizeOperation(reader, 'create')).toBe('forbidden');
    const creator = principal(store, 'creator');
    expect(OPS.map((op) => authorizeOperation(creator, op))).toEqual(['allowed', 'forbidden', 'allowed', 'allowed', 'allowed']);
    // The built-in admin user is in admingroup only: no integration group, no access.
    expect(OPS.map((op) => authorizeOperation(principal(store, 'admin'), op))).toEqual(OPS.map(() => 'forbidden'));
    expect(OPS.map((op) => authorizeOperation(principal(store, 'adminuser'), op))).toEqual(OPS.map(() => 'allowed'));
  });
});

describe('operation of a request', () => {
  it.each([
    ['GET', ['$metadata'], 'metadata'],
    ['get', ['$metadata'], 'metadata'],
    ['GET', [], 'read'],
    ['GET', ['Products'], 'read'],
    ['GET', ['Products', '$count'], 'read'],
    ['GET', ["Products('a')", 'catalogVersion'], 'read'],
    ['GET', ['$metadata', 'x'], 'read'],
    ['POST', ['Products'], 'create'],
    ['POST', ['$batch'], 'create'],
    ['PATCH', ["Products('a')"], 'update'],
    ['DELETE', ["Products('a')"], 'delete'],
    ['PUT', ["Products('a')"], 'other-verb'],
    ['MERGE', ["Products('a')"], 'other-verb'],
    ['HEAD', ['$metadata'], 'other-verb'],
    ['OPTIONS', [], 'other-verb'],
    ['PURGE', [], 'other-verb'],
  ] as const)('%s %j → %s', (method, resource, expected) => {
    expect(operationOf(method, resource)).toBe(expected);
  });
});

describe('meta integration objects', () => {
  type MetaRow = [io: string, groups: string, visible: boolean, allowed: Operation[]];
  const READ: Operation[] = ['metadata', 'read'];
  const ALL: Operation[] = ['metadata', 'read', 'create', 'update', 'delete'];
  const META: MetaRow[] = [
    ['IntegrationService', 'integrationadmingroup,integrationservicegroup', true, ALL],
    ['IntegrationService', 'integrationadmingroup', false, ALL], // allowed by Spring, but the IO does not exist → 404
    ['IntegrationService', 'integrationservicegroup', true, []], // sees it, but not admin → 403
    ['IntegrationService', 'integrationservicegroup,integrationviewgroup', true, []],
    ['IntegrationService', 'integrationservicegroup,integrationcreategroup', true, []],
    ['IntegrationService', 'integrationmonitoringgroup,integrationadmingroup', false, ALL],
    ['OutboundChannelConfig', 'integrationadmingroup,outboundsyncgroup', true, ALL],
    ['OutboundChannelConfig', 'integrationadmingroup,integrationservicegroup', false, ALL],
    ['OutboundChannelConfig', 'outboundsyncgroup,integrationcreategroup', true, []],
    ['InboundIntegrationMonitoring', 'integrationadmingroup,integrationmonitoringgroup', true, READ],
    ['InboundIntegrationMonitoring', 'integrationviewgroup,integrationmonitoringgroup', true, []],
    ['InboundIntegrationMonitoring', 'integrationadmingroup', false, READ],
    ['OutboundIntegrationMonitoring', 'integrationadmingroup,integrationmonitoringgroup', true, READ],
    ['OutboundIntegrationMonitoring', 'integrationmonitoringgroup', true, []],
    ['WebhookService', 'integrationadmingroup,webhookservicegroup', true, ALL],
    ['WebhookService', 'integrationadmingroup', false, ALL],
    ['WebhookService', 'webhookservicegroup', true, []],
    ['ScriptService', 'integrationadmingroup,scriptservicegroup', true, ALL],
    ['RuntimeAttributeService', 'integrationadmingroup', true, ALL],
    ['RuntimeAttributeService', 'integrationviewgroup', true, []],
    ['ThirdPartyInboundProduct', 'integrationviewgroup', true, READ],
    ['ThirdPartyInboundProduct', '', true, []],
  ];

  const cases = META.flatMap(([io, groups, visible, allowed]) =>
    OPERATIONS.map((op) => ({ io, groups, op, visible, expected: allowed.includes(op) ? 'allowed' : 'forbidden' })),
  );

  it.each(cases)('$io [$groups] $op → visible $visible, $expected', ({ io, groups, op, visible, expected }) => {
    const p = withGroups(...groupsOf(groups));
    expect(isVisible(p, io)).toBe(visible);
    expect(authorizeOperation(p, op, io)).toBe(expected);
  });

  it('both the admin group and the visibility group are needed to use a meta IO', () => {
    for (const [io, rule] of Object.entries(META_INTEGRATION_OBJECTS)) {
      const all = withGroups(...rule.requiredGroups);
      expect(isVisible(all, io) && authorizeOperation(all, 'read', io) === 'allowed', io).toBe(true);
      for (const missing of rule.requiredGroups) {
        const p = withGroups(...rule.requiredGroups.filter((g) => g !== missing));
        expect(isVisible(p, io) && authorizeOperation(p, 'read', io) === 'allowed', `${io} without ${missing}`).toBe(false);
      }
    }
  });

  it('knows which IOs are meta IOs', () => {
    expect(isMetaIntegrationObject('IntegrationService')).toBe(true);
    expect(isMetaIntegrationObject('ThirdPartyInboundProduct')).toBe(false);
    expect(isMetaIntegrationObject('toString')).toBe(false);
  });

  it("PATCH and DELETE of a meta IO's own definition are forbidden to everyone", () => {
    const admin = withGroups('integrationadmingroup', 'integrationservicegroup');
    const protectedPaths = [
      ["IntegrationObjects('InboundIntegrationMonitoring')"],
      ["IntegrationObjects('OutboundIntegrationMonitoring')"],
      ["IntegrationObjects('IntegrationService')"],
      ["IntegrationObjects('OutboundChannelConfig')"],
      ["IntegrationObjectItems('InboundRequest|InboundIntegrationMonitoring')"],
      ["IntegrationObjectItemAttributes('code|IntegrationObject|IntegrationService')"],
    ];
    for (const resource of protectedPaths) {
      expect(isProtectedMetaDefinition('IntegrationService', resource), resource[0]).toBe(true);
      expect(authorizeOperation(admin, 'update', 'IntegrationService', resource)).toBe('forbidden');
      expect(authorizeOperation(admin, 'delete', 'IntegrationService', resource)).toBe('forbidden');
      expect(authorizeOperation(admin, 'read', 'IntegrationService', resource)).toBe('allowed');
    }
    for (const resource of [["IntegrationObjects('MyProductIO')"], ["IntegrationObjects('IntegrationService')", 'items'], ['$batch'], ['IntegrationObjects']]) {
      expect(isProtectedMetaDefinition('IntegrationService', resource), resource.join('/')).toBe(false);
      expect(authorizeOperation(admin, 'delete', 'IntegrationService', resource)).toBe('allowed');
    }
    // Only through the IntegrationService IO.
    expect(isProtectedMetaDefinition('MyIO', ["IntegrationObjects('IntegrationService')"])).toBe(false);
  });
});

describe('inbound channel configuration: which scheme an IO accepts', () => {
  it.each([
    ['BASIC', 'basic', false, true],
    ['BASIC', 'bearer', false, false],
    ['OAUTH', 'bearer', false, true],
    ['OAUTH', 'basic', false, false],
    [undefined, 'basic', false, true],
    [undefined, 'bearer', false, false],
    ['BASIC', 'basic', true, true],
    ['BASIC', 'bearer', true, false],
    ['OAUTH', 'bearer', true, true],
    ['OAUTH', 'basic', true, false],
    [undefined, 'basic', true, true],
    [undefined, 'bearer', true, false],
  ] as const)('ICC %s, %s, legacy %s → %s', (icc, scheme, legacy, expected) => {
    expect(authenticationSchemeAllowed(icc, scheme, legacy)).toBe(expected);
  });
});
