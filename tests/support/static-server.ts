// Test support: a tiny static file server on 127.0.0.1 (random port) with the cross-origin isolation headers a PWA needs.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.onnx': 'application/octet-stream',
};

/** A running static server: its base URL (ending in `/`) and how to stop it. */
export interface StaticServer {
  url: string;
  /** Requests served so far, by path (to check what went over the network). */
  requests: string[];
  close(): Promise<void>;
}

/** Serves `directory` with COOP/COEP/CORP headers; `/` is index.html; anything else missing is 404. */
export async function startStaticServer(directory: string): Promise<StaticServer> {
  const root = resolve(directory);
  const requests: string[] = [];
  const server: Server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    requests.push(path);
    const file = resolve(join(root, path.endsWith('/') ? `${path}index.html` : path));
    const headers = {
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'same-origin',
      'cache-control': 'no-cache',
    };
    const info = file.startsWith(root + sep) ? await stat(file).catch(() => undefined) : undefined;
    if (!info?.isFile()) {
      response.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { ...headers, 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream', 'content-length': info.size });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
