/** The self-signed certificate `up --https` serves with (spec §9.1: Commerce is HTTPS-only). */
import { X509Certificate } from 'node:crypto';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TLS_HOSTS, selfSignedCertificate } from '../../mock-commerce/security/tls.js';

function get(port: number): Promise<{ status: number | undefined; body: string; peer: string; authorized: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/odata2webservices', rejectUnauthorized: false }, (res) => {
      const socket = res.socket as TLSSocket;
      const peer = String(socket.getPeerCertificate().subject.CN);
      const authorized = socket.authorized;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body, peer, authorized }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('self-signed TLS certificate', () => {
  it('is accepted by https.createServer and serves a request', async () => {
    const { key, cert } = await selfSignedCertificate(['localhost', '127.0.0.1']);
    const server = createServer({ key, cert }, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('over tls');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await get((server.address() as AddressInfo).port);
      // Served over TLS with the generated certificate, which no CA vouches for.
      expect(res).toEqual({ status: 200, body: 'over tls', peer: 'localhost', authorized: false });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('names the hosts as subject alternative names, is currently valid and signed with SHA-256', async () => {
    const { key, cert } = await selfSignedCertificate(['localhost', '127.0.0.1']);
    expect(key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const x509 = new X509Certificate(cert);
    expect(x509.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(x509.checkHost('localhost')).toBe('localhost');
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x509.ca).toBe(false);
    expect(new Date(x509.validFrom).getTime()).toBeLessThan(Date.now());
    expect(new Date(x509.validTo).getTime()).toBeGreaterThan(Date.now() + 300 * 24 * 3600 * 1000);
    expect(x509.verify(x509.publicKey)).toBe(true);
  });

  it('is generated once per process and host list', async () => {
    const a = selfSignedCertificate(['127.0.0.1', 'localhost']);
    const b = selfSignedCertificate(['localhost', '127.0.0.1', 'localhost']);
    expect(a).toBe(b);
    expect(await a).toBe(await b);
    expect(selfSignedCertificate()).toBe(selfSignedCertificate([...DEFAULT_TLS_HOSTS]));
    expect(new X509Certificate((await selfSignedCertificate()).cert).subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
  });
});
