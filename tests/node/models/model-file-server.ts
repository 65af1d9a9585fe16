// Test support: a real HTTP server on 127.0.0.1 serving model files in the Hugging Face layout, with Range and fault injection.
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

/** Faults the server injects; change them between pulls. */
export interface ServerBehaviour {
  /** Close the connection after this many body bytes of `path` (once, then serve normally). */
  dropOnce?: { path: string; afterBytes: number };
  /** Serve `path` with one byte flipped. */
  corrupt?: string;
  /** Answer 404 for `path`. */
  notFound?: string;
  /** Ignore Range headers and always answer 200 with the whole file. */
  ignoreRange?: boolean;
  /** Send this many body bytes of `path`, then nothing more until the client goes away. */
  stall?: { path: string; afterBytes: number };
}

export interface ServedRequest {
  path: string;
  range: string | undefined;
  status: number;
  bodyBytes: number;
}

export interface ModelFileServer {
  mirror: string;
  behaviour: ServerBehaviour;
  requests: ServedRequest[];
  close(): Promise<void>;
}

/** Serves `/<repo>/resolve/<revision>/<path>` from `directory`; only that repo and revision exist. */
export async function startModelFileServer(directory: string, repo: string, revision: string): Promise<ModelFileServer> {
  const prefix = `/${repo}/resolve/${revision}/`;
  const state: ModelFileServer = { mirror: '', behaviour: {}, requests: [], close: async () => undefined };
  const server: Server = createServer((request, response) => {
    const url = decodeURIComponent(request.url ?? '');
    const path = url.startsWith(prefix) ? url.slice(prefix.length) : '';
    const range = request.headers.range;
    // A mirror a browser can pull from (the PWA's page is cross-origin isolated: CORS is required).
    response.setHeader('access-control-allow-origin', '*');
    const record = (status: number, bodyBytes: number) => state.requests.push({ path, range, status, bodyBytes });
    let bytes: Buffer;
    try {
      if (!path || path.includes('..') || state.behaviour.notFound === path) throw new Error('not found');
      bytes = readFileSync(join(directory, path));
    } catch {
      record(404, 0);
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
      return;
    }
    if (state.behaviour.corrupt === path) {
      bytes = Buffer.from(bytes);
      bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    }
    let start = 0;
    let status = 200;
    const match = /^bytes=(\d+)-$/.exec(range ?? '');
    if (match && !state.behaviour.ignoreRange) {
      start = Number(match[1]);
      if (start >= bytes.length) {
        record(416, 0);
        response.writeHead(416, { 'content-range': `bytes */${bytes.length}` }).end();
        return;
      }
      status = 206;
    }
    const body = bytes.subarray(start);
    const headers: Record<string, string | number> = { 'content-length': body.length, 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream' };
    if (status === 206) headers['content-range'] = `bytes ${start}-${bytes.length - 1}/${bytes.length}`;
    response.writeHead(status, headers);
    const stall = state.behaviour.stall;
    if (stall && stall.path === path) {
      record(status, stall.afterBytes);
      response.write(body.subarray(0, stall.afterBytes));
      return;
    }
    const drop = state.behaviour.dropOnce;
    if (drop && drop.path === path) {
      state.behaviour.dropOnce = undefined;
      record(status, drop.afterBytes);
      response.write(body.subarray(0, drop.afterBytes), () => setTimeout(() => response.destroy(), 50));
      return;
    }
    record(status, body.length);
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.mirror = `http://127.0.0.1:${port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
