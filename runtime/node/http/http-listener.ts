// listen: a Hono app on @hono/node-server (HTTPS when a cert and key are given), resolved once it is bound.
import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { lanListenerKeys, listenError, type ListenerConfigKeys } from './listen-error.js';
import { readTlsFiles } from './read-tls-files.js';
import { sendSseHead } from './sse-response.js';

/** A bound server: its base URL (no trailing slash) and how to close it. */
export interface Listener {
  url: string;
  port: number;
  server: Server;
  /** Stops accepting, then ends lingering connections (SSE feeds) after `graceMs`. */
  close(graceMs?: number): Promise<void>;
}

/** The host to put in a URL for a bind address (a wildcard bind is reached on loopback). */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * How long a client may take to send a whole request (headers and body). Node's default is 5
 * minutes, so a slow-loris client dribbling a body a byte a second held a socket that long; an
 * API body here is at most a few MB on a LAN. Responses (SSE, long generations) are not limited.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Binds `app` to host:port (0 = any free port), over TLS when `tls` (the config's tls.cert and
 * tls.key) names both files. A file that cannot be used, a host that does not resolve or a port in
 * use is CONFIG_INVALID naming the key: tls.cert / tls.key, and `keys` (default the LAN API's).
 */
export async function listen(
  app: { fetch: (request: Request, env: unknown) => Response | Promise<Response> },
  host: string,
  port: number,
  tls?: { cert?: string; key?: string },
  requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
  keys: ListenerConfigKeys = lanListenerKeys,
): Promise<Listener> {
  const secure = Boolean(tls?.cert && tls.key);
  // Node checks request timeouts on a timer (30 s by default); check often enough to enforce short ones.
  const timeouts = { requestTimeout: requestTimeoutMs, headersTimeout: Math.min(60_000, requestTimeoutMs), connectionsCheckingInterval: Math.min(1000, requestTimeoutMs) };
  const serverOptions = secure ? { ...timeouts, ...(await readTlsFiles({ cert: tls?.cert as string, key: tls?.key as string })) } : timeouts;
  const fetchHandler = (request: Request, env: unknown) => {
    const response = app.fetch(request, env);
    return response instanceof Promise ? response.then((final) => sendSseHead(final, env)) : sendSseHead(response, env);
  };
  const server = (
    secure ? serve({ fetch: fetchHandler, hostname: host, port, createServer: createHttpsServer, serverOptions }) : serve({ fetch: fetchHandler, hostname: host, port, serverOptions })
  ) as Server;
  await new Promise<void>((resolve, reject) => {
    if (server.listening) return resolve();
    server.once('listening', () => resolve());
    server.once('error', (error) => reject(listenError(error, host, port, keys) ?? error));
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `${secure ? 'https' : 'http'}://${urlHost(host)}:${bound}`,
    port: bound,
    server,
    close(graceMs = 1000) {
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
