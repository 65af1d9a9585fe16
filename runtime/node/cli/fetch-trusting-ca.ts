// fetchTrustingCa: fetch over node:https with one more trusted CA (Node 20's fetch takes no CA, and undici is not a dependency).
import { request } from 'node:https';
import { Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';

/** What the CLI sends: fetch's RequestInit narrowed to plain headers and a string or bytes body. */
export interface TrustedRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  signal?: AbortSignal;
}

/**
 * An HTTPS request that trusts `ca` besides the usual roots, answered as a fetch Response (its body
 * streams). Failures reject as fetch's do: TypeError('fetch failed') with the cause.
 */
export function fetchTrustingCa(url: string, init: TrustedRequest, ca: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: init.method ?? 'GET', headers: init.headers, ca: [...rootCertificates, ca], signal: init.signal }, (incoming) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
      }
      const status = incoming.statusCode ?? 502;
      const empty = status === 204 || status === 304 || init.method === 'HEAD';
      if (empty) incoming.resume();
      const body = empty ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>);
      resolve(new Response(body, { status, statusText: incoming.statusMessage, headers }));
    });
    outgoing.once('error', (error) => reject(init.signal?.aborted ? error : new TypeError('fetch failed', { cause: error })));
    outgoing.end(init.body);
  });
}
