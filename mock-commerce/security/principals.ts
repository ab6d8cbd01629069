/**
 * Users, groups and Basic authentication against the users in the store (imported by ImpEx, e.g.
 * `INSERT_UPDATE Employee; uid[unique=true]; password; groups(uid)`).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Item, ItemStore, Pk } from '../store/store.js';

export interface Principal {
  uid: string;
  pk: Pk;
  /** Every group the user is in, directly or through group membership, by uid. */
  groups: ReadonlySet<string>;
  /** Set when the principal comes from an OAuth2 bearer token: the client the token was issued to. */
  clientId?: string;
}

export type Credentials = { scheme: 'basic'; username: string; password: string } | { scheme: 'bearer'; token: string };

/** Parses an `Authorization` header; undefined when absent or unreadable. */
export function parseAuthorization(header: string | undefined): Credentials | undefined {
  if (!header) return undefined;
  const space = header.indexOf(' ');
  if (space < 0) return undefined;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer' && value) return { scheme: 'bearer', token: value };
  if (scheme !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { scheme: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Constant-time string comparison (for passwords and client secrets). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function findUser(store: ItemStore, uid: string): Item | undefined {
  return store.find('User', { uid })[0];
}

/** The user's groups, transitively through PrincipalGroup membership (`groups`). */
export function groupsOf(store: ItemStore, principal: Item): Set<string> {
  const out = new Set<string>();
  const stack: Pk[] = [...pks(principal.values.groups)];
  const seen = new Set<Pk>();
  while (stack.length) {
    const pk = stack.pop()!;
    if (seen.has(pk)) continue;
    seen.add(pk);
    const group = store.get(pk);
    if (!group) continue;
    if (typeof group.values.uid === 'string') out.add(group.values.uid);
    stack.push(...pks(group.values.groups));
  }
  return out;
}

function pks(v: unknown): Pk[] {
  return Array.isArray(v) ? v.filter((x): x is Pk => typeof x === 'number') : [];
}

/** The principal a user item runs as: its uid and its groups, transitively. */
export function principalOf(store: ItemStore, user: Item): Principal {
  return { uid: typeof user.values.uid === 'string' ? user.values.uid : '', pk: user.pk, groups: groupsOf(store, user) };
}

/** Basic authentication: the user exists, is not login-disabled, and the password matches. */
export function authenticateBasic(store: ItemStore, username: string, password: string): Principal | undefined {
  const user = findUser(store, username);
  if (!user || user.values.loginDisabled === true) return undefined;
  const stored = user.values.password ?? user.values.encodedPassword;
  if (typeof stored !== 'string' || !sameSecret(stored, password)) return undefined;
  return { uid: username, pk: user.pk, groups: groupsOf(store, user) };
}
