// Tests for TeacherClient against real node:http servers speaking OpenAI's chat completions JSON.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { isNexusError, type NexusError } from '../../../runtime/core/nexus-error.js';
import type { Logger } from '../../../runtime/core/platform/logger.js';
import { CircuitBreaker } from '../../../runtime/core/resilience/circuit-breaker.js';
import { TeacherClient, type TeacherClientOptions } from '../../../runtime/core/teacher/teacher-client.js';

interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

interface TestServer {
  baseUrl: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A real HTTP server on 127.0.0.1, random port, recording each request's method, path, headers and JSON body. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: raw ? (JSON.parse(raw) as unknown) : undefined });
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const testServer: TestServer = {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(testServer);
  return testServer;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const completion = (content: unknown, model = 'teacher-model-7b') => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1_700_000_000,
  model,
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 9, completion_tokens: 12, total_tokens: 21 },
});

function client(baseUrl: string, options: Partial<TeacherClientOptions> = {}): TeacherClient {
  return new TeacherClient({ baseUrl, model: 'llama3.2:1b', fetch: globalThis.fetch, ...options });
}

async function rejection(promise: Promise<unknown>): Promise<NexusError> {
  try {
    await promise;
  } catch (error) {
    if (isNexusError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('TeacherClient', () => {
  it('returns the answer, the model the server named and the latency', async () => {
    const server = await serve((_req, res) => json(res, 200, completion('  Blorvantic is not an English word.\n')));
    const result = await client(server.baseUrl).ask('What does blorvantic mean?');
    expect(result.answer).toBe('Blorvantic is not an English word.');
    expect(result.model).toBe('teacher-model-7b');
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.latencyMs).toBeLessThan(5000);
  });

  it('sends a non-streaming POST to <baseUrl>/chat/completions with model, messages and the bearer key', async () => {
    const server = await serve((_req, res) => json(res, 200, completion('yes')));
    await client(server.baseUrl, { apiKey: 'sk-test-123', systemPrompt: 'Answer in one sentence.' }).ask('  Is water wet? ');
    expect(server.seen).toHaveLength(1);
    const [request] = server.seen;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/v1/chat/completions');
    expect(request!.headers.authorization).toBe('Bearer sk-test-123');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.body).toEqual({
      model: 'llama3.2:1b',
      stream: false,
      messages: [
        { role: 'system', content: 'Answer in one sentence.' },
        { role: 'user', content: 'Is water wet?' },
      ],
    });
  });

  it('sends no Authorization header and no system message when none is configured', async () => {
    const server = await serve((_req, res) => json(res, 200, completion('yes')));
    await client(server.baseUrl).ask('q');
    expect(server.seen[0]!.headers.authorization).toBeUndefined();
    expect(server.seen[0]!.body).toMatchObject({ messages: [{ role: 'user', content: 'q' }] });
  });

  it('accepts the base URL with a trailing slash or as the full endpoint', async () => {
    const server = await serve((_req, res) => json(res, 200, completion('ok')));
    for (const baseUrl of [`${server.baseUrl}/`, `${server.baseUrl}/chat/completions`]) {
      const teacher = client(baseUrl);
      expect(teacher.endpoint).toBe(`${server.baseUrl}/chat/completions`);
      await expect(teacher.ask('q')).resolves.toMatchObject({ answer: 'ok' });
    }
    expect(server.seen.map((r) => r.url)).toEqual(['/v1/chat/completions', '/v1/chat/completions']);
  });

  it('falls back to the configured model when the response names none', async () => {
    const server = await serve((_req, res) => json(res, 200, { choices: [{ message: { content: 'fine' } }] }));
    await expect(client(server.baseUrl).ask('q')).resolves.toMatchObject({ answer: 'fine', model: 'llama3.2:1b' });
  });

  it('does not take another Nexus appliance\'s abstention as an answer', async () => {
    const server = await serve((_req, res) =>
      json(res, 200, { model: 'nexus', choices: [{ message: { role: 'assistant', content: "I don't know that (confidence 0.20)." } }], nexus: { decision: 'abstained', confidence: 0.2, source: 'model' } }),
    );
    const teacher = new TeacherClient({ baseUrl: server.baseUrl, model: 'nexus', fetch });
    await expect(teacher.ask('What does blorvantic mean?')).rejects.toMatchObject({ code: 'TEACHER_FAILED', message: expect.stringMatching(/does not know either/) });
  });

  it('turns a 500 into TEACHER_FAILED with the status and the server message', async () => {
    const server = await serve((_req, res) => json(res, 500, { error: { message: 'model crashed', type: 'server_error' } }));
    const error = await rejection(client(server.baseUrl).ask('q'));
    expect(error.code).toBe('TEACHER_FAILED');
    expect(error.details).toMatchObject({ status: 500, url: `${server.baseUrl}/chat/completions` });
    expect(error.message).toContain('HTTP 500');
    expect(error.message).toContain('model crashed');
  });

  it('quotes a non-JSON error body', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad Gateway</html>');
    });
    const error = await rejection(client(server.baseUrl).ask('q'));
    expect(error.code).toBe('TEACHER_FAILED');
    expect(error.message).toContain('HTTP 502');
    expect(error.message).toContain('<html>Bad Gateway</html>');
  });

  it('turns a garbage (non-JSON) 200 body into TEACHER_FAILED "not JSON"', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"choices": [ this is not json');
    });
    const error = await rejection(client(server.baseUrl).ask('q'));
    expect(error.code).toBe('TEACHER_FAILED');
    expect(error.details.reason).toMatch(/not JSON/);
    expect(error.details.reason).toContain('this is not json');
  });

  const unusable: Array<[string, unknown, RegExp]> = [
    ['JSON without choices', { id: 'x', object: 'chat.completion' }, /no choices array/],
    ['empty choices', { choices: [] }, /empty choices array/],
    ['a choice without a message', { choices: [{ index: 0 }] }, /choices\[0\]\.message\.content/],
    ['null content', completion(null), /choices\[0\]\.message\.content/],
    ['a blank answer', completion('  \n '), /answer .* is empty/],
    ['a JSON array', [1, 2], /not an object/],
    ['an error object with status 200', { error: { message: 'context overflow' } }, /carries an error: context overflow/],
  ];
  it.each(unusable)('turns %s into TEACHER_FAILED naming what was wrong', async (_name, body, reason) => {
    const server = await serve((_req, res) => json(res, 200, body));
    const error = await rejection(client(server.baseUrl).ask('q'));
    expect(error.code).toBe('TEACHER_FAILED');
    expect(error.details.reason).toMatch(reason);
  });

  it('gives TEACHER_TIMEOUT soon after timeoutMs when the server never answers', async () => {
    const server = await serve(() => {
      /* stalls: never writes a response */
    });
    const started = performance.now();
    const error = await rejection(client(server.baseUrl, { timeoutMs: 150 }).ask('q'));
    const elapsed = performance.now() - started;
    expect(error.code).toBe('TEACHER_TIMEOUT');
    expect(error.details).toMatchObject({ timeoutMs: 150 });
    expect(error.message).toContain('150 ms');
    // Node starts timers from its cached loop time, which can lag by tens of ms: allow some slack.
    expect(elapsed).toBeGreaterThanOrEqual(75);
    expect(elapsed).toBeLessThan(1500);
  });

  it('times out a body that starts and then stalls', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"choices": [');
    });
    const error = await rejection(client(server.baseUrl, { timeoutMs: 150 }).ask('q'));
    expect(error.code).toBe('TEACHER_TIMEOUT');
  });

  it('gives TEACHER_FAILED with the socket error when nothing listens', async () => {
    const server = await serve(() => {});
    await server.close();
    const error = await rejection(client(server.baseUrl).ask('q'));
    expect(error.code).toBe('TEACHER_FAILED');
    expect(error.details.reason).toMatch(/request failed.*ECONNREFUSED/);
  });

  it('gives ABORTED, not a timeout, when the caller aborts', async () => {
    const server = await serve(() => {});
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(client(server.baseUrl, { timeoutMs: 5000 }).ask('q', controller.signal));
    expect(error.code).toBe('ABORTED');
    await expect(client(server.baseUrl).ask('q', AbortSignal.abort())).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('a caller abort does not count as a breaker failure', async () => {
    const server = await serve(() => {});
    const breaker = new CircuitBreaker({ name: 'teacher', failureThreshold: 1 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    await expect(client(server.baseUrl, { breaker }).ask('q', controller.signal)).rejects.toMatchObject({ code: 'ABORTED' });
    expect(breaker.state).toBe('CLOSED');
    expect(breaker.snapshot().counters).toMatchObject({ failures: 0, ignoredErrors: 1 });
  });

  it('never shows the API key: not in errors, logs, JSON or inspection', async () => {
    const apiKey = 'sk-very-secret-key';
    // A misbehaving server echoes the Authorization header back in its error.
    const server = await serve((req, res) => json(res, 401, { error: { message: `bad key: ${req.headers.authorization}` } }));
    const logged: string[] = [];
    const logger: Logger = { log: (level, event, fields) => logged.push(JSON.stringify({ level, event, fields })) };
    const teacher = client(server.baseUrl, { apiKey, logger });
    const error = await rejection(teacher.ask('q'));
    expect(error.code).toBe('TEACHER_FAILED');
    expect(error.message).toContain('[redacted]');
    for (const text of [error.message, JSON.stringify(error), ...logged, JSON.stringify(teacher), inspect(teacher, { showHidden: true, depth: 5 })]) {
      expect(text).not.toContain(apiKey);
    }
    expect(logged.some((line) => line.includes('teacher.failed'))).toBe(true);
  });

  it('refuses bad options and a blank question, naming the key', async () => {
    const bad: Array<[Partial<TeacherClientOptions>, string]> = [
      [{ baseUrl: 'not a url' }, 'baseUrl'],
      [{ baseUrl: 'ftp://host/v1' }, 'baseUrl'],
      [{ baseUrl: 'http://user:pw@host/v1' }, 'baseUrl'],
      [{ model: ' ' }, 'model'],
      [{ timeoutMs: 0 }, 'timeoutMs'],
      [{ timeoutMs: Number.NaN }, 'timeoutMs'],
    ];
    for (const [options, key] of bad) {
      expect(() => client('http://127.0.0.1:1/v1', options), key).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', details: expect.objectContaining({ key }) }));
    }
    await expect(client('http://127.0.0.1:1/v1').ask('   ')).rejects.toMatchObject({ code: 'EMPTY_PROMPT' });
  });

  it('works with a fetch that must not be called as a method (browser "Illegal invocation")', async () => {
    const server = await serve((_req, res) => json(res, 200, completion('ok')));
    const strictFetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation');
      return globalThis.fetch(input, init);
    } as typeof fetch;
    await expect(client(server.baseUrl, { fetch: strictFetch }).ask('q')).resolves.toMatchObject({ answer: 'ok' });
  });
});
