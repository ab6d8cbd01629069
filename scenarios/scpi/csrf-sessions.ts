/**
 * CSRF protection of the sender endpoint, as SAP's gateway does it: a `GET`/`HEAD` with
 * `X-CSRF-Token: Fetch` answers a token bound to an HTTP session (cookies `JSESSIONID` and
 * `__VCAP_ID__`, spec §16.9); a modifying request must carry that token and the session cookie.
 *
 * A fetch within a live session answers the session's token again. Sessions live until the endpoint
 * closes (Commerce caches a token for 60 s; a gateway session outlives that).
 *
 * The `Cookie` header is read leniently: Commerce sends the `Set-Cookie` values back joined with `; `,
 * attributes such as `Path=/` included, so every `name=value` pair is looked at and the rest ignored.
 */
import { randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'JSESSIONID';

export interface FetchedToken {
  token: string;
  /** `Set-Cookie` values to send (none when the request already had a live session). */
  setCookies: string[];
}

export class CsrfSessions {
  /** Session id → token. */
  private readonly sessions = new Map<string, string>();

  constructor(private readonly random: (bytes: number) => string = (n) => randomBytes(n).toString('hex')) {}

  /** The token for the request's session, opening a session when it has none. */
  fetch(cookie: string | undefined): FetchedToken {
    const current = sessionOf(cookie);
    if (current !== undefined) {
      const token = this.sessions.get(current);
      if (token !== undefined) return { token, setCookies: [] };
    }
    const session = this.random(16).toUpperCase();
    const token = Buffer.from(this.random(16), 'hex').toString('base64');
    this.sessions.set(session, token);
    return { token, setCookies: [`${SESSION_COOKIE}=${session}; Path=/; Secure; HttpOnly`, `__VCAP_ID__=${this.random(12)}; Path=/; HttpOnly`] };
  }

  /** The token belongs to the session the cookie names. */
  valid(cookie: string | undefined, token: string | undefined): boolean {
    const session = sessionOf(cookie);
    return session !== undefined && token !== undefined && token !== '' && this.sessions.get(session) === token;
  }
}

/** The session id in a `Cookie` header (the last `JSESSIONID=` pair wins). */
export function sessionOf(cookie: string | undefined): string | undefined {
  let session: string | undefined;
  for (const part of (cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) session = part.slice(eq + 1).trim();
  }
  return session;
}
