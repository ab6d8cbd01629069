/**
 * Child process: the physical limits — a server that answers precomputed bodies (captured from our
 * Commerce, so of the same size and headers) without doing any work for them.
 *
 *   limit-server.ts raw|express <bodies.json>
 *
 * `raw`: a bare node:http listener (writeHead + end of a ready Buffer). `express`: Express 5 with one
 * route, `res.set(headers).send(buffer)` with Express's defaults (ETag included), i.e. what a bare
 * Express route costs. `bodies.json` maps a name to `{ headers, body }`; the body of `name` is served
 * at `GET /name`.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import express from 'express';
import { serveChild } from './children.js';
import { memory } from './common.js';

export type LimitBodies = Record<string, { headers: Record<string, string>; body: string }>;

async function main(): Promise<void> {
  const mode = process.argv[2];
  const bodies = JSON.parse(readFileSync(process.argv[3]!, 'utf8')) as LimitBodies;
  const ready = new Map(Object.entries(bodies).map(([name, b]) => [`/${name}`, { headers: b.headers, body: Buffer.from(b.body, 'utf8') }]));
  let server: Server;
  if (mode === 'raw') {
    server = createServer((req, res) => {
      const b = ready.get(req.url ?? '');
      if (!b) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { ...b.headers, 'Content-Length': String(b.body.length) });
      res.end(b.body);
    });
  } else if (mode === 'express') {
    const app = express();
    app.get('/:name', (req, res) => {
      const b = ready.get(`/${req.params.name}`);
      if (!b) {
        res.sendStatus(404);
        return;
      }
      res.set(b.headers).send(b.body);
    });
    server = createServer(app);
  } else throw new Error(`unknown mode ${mode ?? ''}`);
  await serveChild(server, memory);
}

main().catch((e: unknown) => {
  process.send?.({ kind: 'failed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exit(1);
});
