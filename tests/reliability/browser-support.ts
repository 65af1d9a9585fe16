// Browser test support: the PWA built to a temp dir, the IndexedDB checkpoint store bundled alone, and a static server that can drop a download.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.webmanifest': 'application/manifest+json', '.wasm': 'application/wasm', '.png': 'image/png' };

/** Builds the PWA into `outDir`, and pwa/src/worker/idb-checkpoint-store.ts as an ES module at `outDir/__test/idb-store.js`. */
export async function buildForBrowserTests(outDir: string): Promise<void> {
  await build({ configFile: join(repo, 'pwa/vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  await build({
    configFile: false,
    logLevel: 'warn',
    build: { outDir: join(outDir, '__test'), emptyOutDir: true, target: 'es2022', lib: { entry: join(repo, 'pwa/src/worker/idb-checkpoint-store.ts'), formats: ['es'], fileName: () => 'idb-store.js' } },
  });
}

/** A static server over a directory that can cut the connection of chosen requests half way through. */
export interface FlakyServer {
  url: string;
  /** Paths requested so far. */
  requests: string[];
  /** The next `count` requests whose path ends with `suffix` are cut after half the file. */
  dropNext(suffix: string, count: number): void;
  close(): Promise<void>;
}

/** Serves `directory` on 127.0.0.1 with the cross-origin isolation headers the PWA needs. */
export async function startFlakyServer(directory: string): Promise<FlakyServer> {
  const root = resolve(directory);
  const requests: string[] = [];
  const drops: Array<{ suffix: string; left: number }> = [];
  const server: Server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const file = resolve(join(root, path.endsWith('/') ? `${path}index.html` : path));
    const headers = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp', 'cross-origin-resource-policy': 'same-origin', 'cache-control': 'no-store' };
    const info = file.startsWith(root + sep) ? await stat(file).catch(() => undefined) : undefined;
    if (!info?.isFile()) return void response.writeHead(404, headers).end('not found');
    response.writeHead(200, { ...headers, 'content-type': types[extname(file)] ?? 'application/octet-stream', 'content-length': info.size });
    const drop = drops.find((d) => d.left > 0 && path.endsWith(d.suffix));
    if (!drop) return void createReadStream(file).pipe(response);
    drop.left--;
    createReadStream(file, { start: 0, end: Math.floor(info.size / 2) }).on('data', (chunk) => response.write(chunk)).on('end', () => setTimeout(() => response.socket?.destroy(), 50));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests,
    dropNext: (suffix, count) => drops.push({ suffix, left: count }),
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
