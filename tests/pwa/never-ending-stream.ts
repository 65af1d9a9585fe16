// Test support: an appliance-shaped server whose /api/interact stream never ends — the network condition the Stop button exists for.
import { createServer } from 'node:http';
import { listenOnLoopback, type LoopbackServer } from '../support/listen-on-loopback.js';
import { applianceCors as cors } from './appliance-cors.js';


/** Streams `delta` events every 100 ms until the client goes away. */
export async function startNeverEndingStream(): Promise<LoopbackServer> {
  const server = createServer((request, response) => {
    if (request.method === 'OPTIONS') return void response.writeHead(204, cors).end();
    if (request.url === '/api/status') return void response.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify({ state: 'serving', model: { id: 'endless', dtype: 'q8', engine: 'wasm' } }));
    request.resume();
    response.writeHead(200, { ...cors, 'content-type': 'text/event-stream' });
    const timer = setInterval(() => response.write(`event: delta\ndata: ${JSON.stringify({ text: 'and on ' })}\n\n`), 100);
    response.on('close', () => clearInterval(timer));
  });
  return listenOnLoopback(server);
}
