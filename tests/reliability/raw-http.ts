// Raw HTTP over a socket: exact request bytes (paths fetch would normalize, slow bodies), the response read as text.
import { connect, type Socket } from 'node:net';

/** The parsed head of a raw response. */
export interface RawResponse {
  status: number;
  head: string;
  body: string;
}

/** Sends `request` as is on a new connection to `baseUrl`'s host and port; resolves with the response when the server closes. */
export function rawRequest(baseUrl: string, request: string | Buffer, timeoutMs = 10_000): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no response within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseResponse(Buffer.concat(chunks).toString('latin1')));
    });
    // Not end(): a half-closed client makes Node drop the response; `Connection: close` lets the server close.
    socket.write(request);
  });
}

/** Opens a connection and returns the socket, for requests written slowly by the test. */
export function openSocket(baseUrl: string): Promise<Socket> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => resolve(socket));
    socket.on('error', reject);
  });
}

/** Splits a raw response into status, head and body. */
export function parseResponse(text: string): RawResponse {
  const end = text.indexOf('\r\n\r\n');
  const head = end >= 0 ? text.slice(0, end) : text;
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
  return { status, head, body: end >= 0 ? text.slice(end + 4) : '' };
}
