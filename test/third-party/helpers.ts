/** Test helpers: serve a third-party definition on an ephemeral port and call it over real HTTP. */
import { join } from 'node:path';
import { packageRoot } from '../../mock-commerce/util/package-root.js';
import { startThirdPartyServer, type RunningThirdParty } from '../../mock-third-party/app.js';
import { parseDefinition } from '../../mock-third-party/definition/loader.js';
import type { ThirdPartyOptions } from '../../mock-third-party/engine/third-party.js';

export const THIRD_PARTY_FIXTURES = join(packageRoot(), 'test', 'fixtures', 'third-party');

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body (undefined when the body is not JSON). */
  json: unknown;
}

export interface CallOptions {
  query?: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON (Content-Type application/json unless given); a string or Buffer as is. */
  body?: unknown;
}

export async function call(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let body: string | Buffer | undefined;
  if (typeof options.body === 'string' || Buffer.isBuffer(options.body)) body = options.body;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(`${baseUrl}${path}${options.query ? `?${options.query}` : ''}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export interface Served extends RunningThirdParty {
  call(method: string, path: string, options?: CallOptions): Promise<Answer>;
}

/** Serves a YAML definition on an ephemeral port (the caller closes it). */
export async function serveYaml(yaml: string, options: ThirdPartyOptions = {}): Promise<Served> {
  const running = await startThirdPartyServer(parseDefinition(yaml, 'test.yaml'), options);
  return { ...running, call: (method, path, callOptions) => call(running.url, method, path, callOptions) };
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** A clock tests move by hand. */
export function manualClock(start = Date.UTC(2025, 0, 15, 12, 0, 0)): { now: () => number; advance(ms: number): void; set(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    set: (ms) => {
      t = ms;
    },
  };
}
