// Test support: a stand-in appliance (CORS-enabled) with the endpoints the PWA calls: interact SSE, teacher, checkpoint, dashboard.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The stand-in's address, what it received, and how to stop it. */
export interface FakeAppliance {
  url: string;
  /** `METHOD path authorization-header` of each request, in order. */
  calls: string[];
  close(): Promise<void>;
}

const cors = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, content-type, accept',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
};

async function body(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
}

/**
 * Starts the stand-in. `/api/interact?stream=1` streams the answer word by word (forever, slowly, for a
 * prompt containing "slowly"); `/v1/chat/completions` answers as the teacher; `/api/checkpoint/latest` serves `checkpoint`.
 */
export async function startFakeAppliance(checkpoint: Uint8Array, teacherAnswer: string): Promise<FakeAppliance> {
  const calls: string[] = [];
  const server = createServer(async (request, response) => {
    const path = request.url ?? '/';
    calls.push(`${request.method} ${path} ${request.headers.authorization ?? ''}`.trim());
    if (request.method === 'OPTIONS') return void response.writeHead(204, cors).end();
    if (path.startsWith('/api/interact')) {
      const { prompt } = await body(request);
      response.writeHead(200, { ...cors, 'content-type': 'text/event-stream' });
      const send = (event: string, data: unknown) => response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      if (String(prompt).includes('slowly')) {
        const timer = setInterval(() => send('delta', { text: 'and on ' }), 100);
        response.on('close', () => clearInterval(timer));
        return;
      }
      for (const word of ['appliance ', 'answer']) send('delta', { text: word });
      send('done', { response: 'appliance answer', confidence: 0.87, decision: 'answered', source: 'model', timings: { decodeTokensPerSecond: 12.5 } });
      return void response.end();
    }
    if (path === '/v1/chat/completions') {
      await body(request);
      response.writeHead(200, { ...cors, 'content-type': 'application/json' });
      return void response.end(JSON.stringify({ model: 'appliance', choices: [{ message: { role: 'assistant', content: teacherAnswer } }] }));
    }
    if (path === '/api/checkpoint/latest') return void response.writeHead(200, { ...cors, 'content-type': 'application/octet-stream' }).end(checkpoint);
    if (path === '/api/status') return void response.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify({ state: 'serving', model: 'lexicon-tiny' }));
    if (path === '/metrics') return void response.writeHead(200, { ...cors, 'content-type': 'text/plain' }).end('nexus_requests_total 3\n');
    if (path === '/api/events') {
      response.writeHead(200, { ...cors, 'content-type': 'text/event-stream' });
      return void response.write('event: answer\ndata: {"decision":"answered"}\n\n');
    }
    if (path === '/api/control') {
      await body(request);
      const allowed = request.headers.authorization === 'Bearer admin-secret';
      return void response.writeHead(allowed ? 200 : 401, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify({ ok: allowed }));
    }
    response.writeHead(404, cors).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => {
      server.closeAllConnections();
      return new Promise((done) => server.close(() => done()));
    },
  };
}
