// Test support: a tiny static file server on 127.0.0.1 (random port), cross-origin isolated by default as a threaded PWA needs.
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

const isolationHeaders = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
};

/** A running static server: its base URL (ending in `/`) and how to stop it. */
export interface StaticServer {
  url: string;
  /** Requests served so far, by path (to check what went over the network). */
  requests: string[];
  close(): Promise<void>;
}

export interface StaticServerOptions {
  /** COOP/COEP/CORP on every response, so pages are cross-origin isolated (default true). */
  isolated?: boolean;
  /** The file a path ending in `/` serves (default index.html). */
  index?: string;
  cacheControl?: string;
  /** A Content-Security-Policy header on every response (the appliance's, to test the PWA under it). */
  contentSecurityPolicy?: string;
}

/**
 * Serves a directory, or several (`mounts`: URL prefix → directory; '' is the root; the longest
 * prefix wins). Only files inside a mount are served (`..` cannot climb out); the rest is 404.
 */
export async function startStaticServer(mounts: string | Record<string, string>, options: StaticServerOptions = {}): Promise<StaticServer> {
  const roots = Object.entries(typeof mounts === 'string' ? { '': mounts } : mounts)
    .map(([prefix, directory]) => ({ prefix: prefix ? `/${prefix.replace(/^\/|\/$/g, '')}/` : '/', root: resolve(directory) }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  const headers: Record<string, string> = {
    'cache-control': options.cacheControl ?? 'no-cache',
    ...(options.isolated === false ? {} : isolationHeaders),
    ...(options.contentSecurityPolicy ? { 'content-security-policy': options.contentSecurityPolicy } : {}),
  };
  const index = options.index ?? 'index.html';
  const requests: string[] = [];
  const server: Server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    requests.push(path);
    const mount = roots.find(({ prefix }) => path.startsWith(prefix));
    const relative = mount ? path.slice(mount.prefix.length) : '';
    const file = mount ? resolve(join(mount.root, relative === '' || relative.endsWith('/') ? `${relative}${index}` : relative)) : '';
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
