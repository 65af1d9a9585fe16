// The browser bench's static server on 127.0.0.1: the page, the built worker, the model and ORT's WASM, never a CDN.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/** A running bench server: its base URL (ending in `/`), the paths requested, and how to stop it. */
export interface BenchServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serves `mounts` (URL prefix → directory; '' is the root). With `isolated`, every response carries
 * COOP/COEP so the page is cross-origin isolated (SharedArrayBuffer, hence ORT's WASM threads).
 */
export async function startBenchServer(mounts: Record<string, string>, isolated: boolean): Promise<BenchServer> {
  const roots = Object.entries(mounts)
    .map(([prefix, directory]) => ({ prefix: prefix ? `/${prefix.replace(/^\/|\/$/g, '')}/` : '/', root: resolve(directory) }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  const headers: Record<string, string> = { 'cache-control': 'no-store', ...(isolated ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp', 'cross-origin-resource-policy': 'same-origin' } : {}) };
  const requests: string[] = [];
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    requests.push(path);
    const mount = roots.find(({ prefix }) => path.startsWith(prefix));
    const file = mount ? resolve(join(mount.root, path.slice(mount.prefix.length) || 'bench-page.html')) : '';
    // Only files inside a mount; `..` cannot climb out.
    const info = mount && file.startsWith(mount.root + sep) ? await stat(file).catch(() => undefined) : undefined;
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
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
