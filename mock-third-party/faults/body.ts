/**
 * What both transports share: the response a plan answers with (the error fault's instead of the
 * service's) and its bytes (random ones for `garbage`).
 */
import { randomBytes } from 'node:crypto';
import type { HttpResponse } from '../../mock-commerce/http/types.js';
import type { FaultPlan, FaultPlanError } from './plan.js';

/** Source of random bytes for `garbage`; injectable for reproducible bytes. */
export type RandomSource = () => number;

/** The error fault's answer: string/bytes as is, anything else as JSON; the fault's headers win. */
export function errorResponse(error: FaultPlanError): HttpResponse {
  const { body } = error;
  let bytes: string | Buffer;
  let contentType: string;
  if (typeof body === 'string') {
    bytes = body;
    contentType = 'text/plain; charset=utf-8';
  } else if (body instanceof Uint8Array) {
    bytes = Buffer.from(body);
    contentType = 'application/octet-stream';
  } else {
    bytes = JSON.stringify(body) ?? '';
    contentType = 'application/json';
  }
  const hasType = Object.keys(error.headers).some((k) => k.toLowerCase() === 'content-type');
  return { status: error.status, headers: { ...(hasType ? {} : { 'Content-Type': contentType }), ...error.headers }, body: bytes };
}

/** The response the plan answers with, before corruption and pacing. */
export function plannedResponse(response: HttpResponse, plan: FaultPlan): HttpResponse {
  return plan.error ? errorResponse(plan.error) : response;
}

export function bodyBytes(body: string | Buffer): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/**
 * `length` random bytes that no JSON (or UTF-8 text) parser accepts: the first byte is a lone UTF-8
 * continuation byte (0x80–0xBF), which decodes to U+FFFD, never a valid start of a JSON text.
 */
export function garbageBytes(length: number, random?: RandomSource): Buffer {
  const bytes = random ? Buffer.from(Array.from({ length }, () => Math.floor(random() * 256) & 0xff)) : randomBytes(length);
  if (length > 0) bytes[0] = 0x80 | ((bytes[0] ?? 0) & 0x3f);
  return bytes;
}

/** The bytes to send: the body, or garbage of the same length. */
export function plannedBody(response: HttpResponse, plan: FaultPlan, random?: RandomSource): Buffer {
  const bytes = bodyBytes(response.body);
  return plan.corrupt === 'garbage' ? garbageBytes(bytes.length, random) : bytes;
}
