/** A target system for the flow tests: records every request and answers what the test sets. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Captured {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export class CaptureServer {
  readonly requests: Captured[] = [];
  status = 200;
  body = '{"code":200,"message":"OK"}';
  /** Answer only after this many ms (0: at once). */
  delayMs = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<CaptureServer> {
    const holder: { capture?: CaptureServer } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const capture = holder.capture!;
        capture.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const answer = () => res.writeHead(capture.status, { 'Content-Type': 'application/json' }).end(capture.body);
        if (capture.delayMs > 0) setTimeout(answer, capture.delayMs);
        else answer();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.capture = new CaptureServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port.toString()}`);
    return holder.capture;
  }

  reset(): void {
    this.requests.length = 0;
    this.status = 200;
    this.body = '{"code":200,"message":"OK"}';
    this.delayMs = 0;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
