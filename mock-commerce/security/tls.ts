/**
 * A self-signed server certificate for serving the sandbox over HTTPS (spec §9.1: Commerce is
 * HTTPS-only). Generated with the `selfsigned` package (WebCrypto; RSA 2048, SHA-256), once per process
 * and host list, and cached. Generation is asynchronous (selfsigned 5 is async-only).
 */
import { isIP } from 'node:net';

export interface TlsCertificate {
  /** PEM private key (PKCS#8). */
  key: string;
  /** PEM certificate. */
  cert: string;
}

export const DEFAULT_TLS_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '::1'];

const cache = new Map<string, Promise<TlsCertificate>>();

/**
 * A certificate valid for `hosts` (DNS names and IP addresses, as subject alternative names; the first
 * is the common name), from an hour ago for a year. The same promise is returned for the same hosts.
 */
export function selfSignedCertificate(hosts: readonly string[] = DEFAULT_TLS_HOSTS): Promise<TlsCertificate> {
  const names = [...new Set(hosts.map((h) => h.trim()).filter((h) => h !== ''))];
  if (names.length === 0) names.push(...DEFAULT_TLS_HOSTS);
  const key = [...names].sort().join(',');
  let pending = cache.get(key);
  if (!pending) {
    pending = create(names);
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}

async function create(hosts: string[]): Promise<TlsCertificate> {
  const notBeforeDate = new Date(Date.now() - 60 * 60 * 1000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 365 * 24 * 60 * 60 * 1000);
  // Imported when first needed: the package costs ≈ 130 ms to load, and most sandboxes serve plain HTTP.
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: hosts[0]! }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: hosts.map((h) => (isIP(h) ? { type: 7 as const, ip: h } : { type: 2 as const, value: h })) },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
