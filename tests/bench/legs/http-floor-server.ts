// The API leg's floor: a bare node:http server answering the chat request with one SSE chunk at once, no framework, no model.
// Timed with the same client, interleaved with the API's requests, it is what an HTTP exchange costs on this machine
// before the appliance does anything (client, loopback, Node's HTTP parser and writer).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const firstChunk = `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant', content: 'floor' }, finish_reason: null }] })}\n\n`;

/** Listens on 127.0.0.1 (a free port); each POST's JSON body is read and parsed, then one content chunk and [DONE] go out. */
export async function startHttpFloorServer(): Promise<{ url: string; close(): void }> {
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (text: string) => (body += text));
    request.on('end', () => {
      JSON.parse(body);
      response.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
      response.write(firstChunk);
      response.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}
