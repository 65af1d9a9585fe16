// Benchmark leg: the core through the appliance's HTTP API (POST /v1/chat/completions, stream: true), appliance in a child process.
// Each measured answer is paired with the same request run inside the appliance without HTTP, alternating which goes first,
// so the API's overhead is measured side by side rather than against a leg run minutes earlier. A request to a bare
// HTTP server follows each pair: what any HTTP exchange costs here, which the API's time to first token includes.
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { daemonEnvironment, daemonNodeFlags } from '../../../runtime/node/appliance/daemon-process-tuning.js';
import { clientFigures, httpFloorFigures, pairedFigures, parseLegOptions, reportLeg, type LegResult, type RunTiming } from '../leg-result.js';
import { benchPromptIds } from './bench-model.js';
import { processPeakRssMb } from '../process-peak-rss.js';

const backend: 'wasm' | 'native' = process.argv[2] === 'native' ? 'native' : 'wasm';
const options = parseLegOptions(process.argv);
const dataDir = await mkdtemp(join(tmpdir(), 'nexus-bench-api-'));
// The compiled child (run.ts builds it), started the way `nexusctl start` and the systemd unit start the daemon.
const childFile = fileURLToPath(new URL('../../../dist/tests/bench/legs/api-appliance.js', import.meta.url));
const spawned = performance.now();
const child = spawn(process.execPath, [...daemonNodeFlags, childFile, dataDir, backend, JSON.stringify(options)], {
  stdio: ['pipe', 'pipe', 'inherit'],
  env: { ...daemonEnvironment, ...process.env },
});
type Asked = { firstMs: number; endMs: number; completionTokens: number; error?: string };
let onAsked: ((asked: Asked) => void) | undefined;
const ready = await new Promise<{ lanUrl: string; floorUrl: string; held: number; loadMs: number }>((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`appliance exited with ${code} before it was ready`)));
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.includes('"bench.ready"')) resolve(JSON.parse(line) as { lanUrl: string; floorUrl: string; held: number; loadMs: number });
    if (line.includes('"bench.asked"')) onAsked?.(JSON.parse(line) as Asked);
  });
});
const spawnToReadyMs = performance.now() - spawned;
const promptTokens = benchPromptIds(options.prompt).length;

type Streamed = { firstMs: number; endMs: number; completionTokens: number; at: number };
const requestBody = JSON.stringify({ messages: [{ role: 'user', content: options.prompt }], stream: true, max_tokens: options.tokens });

/** Reads SSE text as it arrives: notes the first content chunk and the usage chunk's completion tokens. */
function sseReader(t0: number): { push(text: string): void; result(): Streamed } {
  let first = 0;
  let at = 0;
  let completionTokens = 0;
  let buffer = '';
  return {
    push(text) {
      buffer += text;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const data = buffer.slice(0, end).replace(/^data: ?/, '');
        buffer = buffer.slice(end + 2);
        if (data === '[DONE]' || !data.startsWith('{')) continue;
        const chunk = JSON.parse(data) as { choices?: { delta?: { content?: string } }[]; usage?: { completion_tokens: number } };
        if (first === 0 && chunk.choices?.[0]?.delta?.content) {
          first = performance.now();
          at = first - spawned;
        }
        if (chunk.usage) completionTokens = chunk.usage.completion_tokens;
      }
    },
    result: () => ({ firstMs: first - t0, endMs: performance.now() - t0, completionTokens, at }),
  };
}

// A kept-alive connection, as an SDK or a service calling the appliance would hold one.
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One streamed chat completion over node:http: time to the first content chunk, time to [DONE], completion tokens. */
function streamedCompletion(baseUrl = ready.lanUrl): Promise<Streamed> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const sse = sseReader(t0);
    const outgoing = request(`${baseUrl}/v1/chat/completions`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(requestBody) } }, (response) => {
      response.setEncoding('utf8');
      if (response.statusCode !== 200) {
        let text = '';
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => reject(new Error(`HTTP ${response.statusCode}: ${text}`)));
        return;
      }
      response.on('data', (chunk: string) => sse.push(chunk));
      response.on('end', () => resolve(sse.result()));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(requestBody);
  });
}

/** The same request with fetch (undici), the client a browser-style or OpenAI-SDK caller uses; a costlier client, reported beside. */
async function streamedCompletionWithFetch(baseUrl = ready.lanUrl): Promise<Streamed> {
  const t0 = performance.now();
  const response = await fetch(`${baseUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: requestBody });
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  const sse = sseReader(t0);
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    sse.push(decoder.decode(value, { stream: true }));
  }
  return sse.result();
}

/** The same request inside the appliance, without HTTP (see api-appliance.ts). */
async function completionWithoutHttp(): Promise<Asked> {
  const asked = new Promise<Asked>((resolve) => (onAsked = resolve));
  child.stdin?.write('ask\n');
  const result = await asked;
  if (result.error) throw new Error(`in-process ask failed: ${result.error}`);
  return result;
}

const timingOf = (firstMs: number, endMs: number, completionTokens: number): RunTiming => ({
  ttftMs: firstMs,
  prefillMs: firstMs,
  decodeMs: endMs - firstMs,
  promptTokens,
  newTokens: completionTokens - ready.held + 1,
});

let coldStartMs = 0;
const timings: RunTiming[] = [];
const withoutHttp: RunTiming[] = [];
const floorTtfts: number[] = [];
const withFetch: RunTiming[] = [];
const fetchFloorTtfts: number[] = [];
let peakRssMb = 0;
try {
  for (let run = 0; run < options.warmup + options.runs; run++) {
    const directFirst = run % 2 === 1;
    const direct = directFirst ? await completionWithoutHttp() : undefined;
    const r = await streamedCompletion();
    if (coldStartMs === 0) coldStartMs = r.at;
    const fetched = await streamedCompletionWithFetch();
    const paired = direct ?? (await completionWithoutHttp());
    const floor = await streamedCompletion(ready.floorUrl);
    const fetchFloor = await streamedCompletionWithFetch(ready.floorUrl);
    if (run < options.warmup) continue;
    floorTtfts.push(floor.firstMs);
    fetchFloorTtfts.push(fetchFloor.firstMs);
    timings.push(timingOf(r.firstMs, r.endMs, r.completionTokens));
    withFetch.push(timingOf(fetched.firstMs, fetched.endMs, fetched.completionTokens));
    withoutHttp.push(timingOf(paired.firstMs, paired.endMs, paired.completionTokens));
  }
} finally {
  // Peak RSS of the appliance process (Linux), read before it exits.
  peakRssMb = (child.pid && processPeakRssMb(child.pid)) || 0;
  agent.destroy();
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  await rm(dataDir, { recursive: true, force: true });
}
reportLeg(`api ${backend}`, options, ready.loadMs, coldStartMs, timings, backend, `appliance in a child process (compiled, daemon flags); load = its model load, ${Math.round(spawnToReadyMs)} ms from spawn to serving; cold start from spawn; gate on (ttft = first text after ${ready.held} held tokens)`, {
  peak_rss_mb: Math.round(peakRssMb * 10) / 10,
  paired: pairedFigures('the same request through daemon.generate in the appliance, no HTTP, interleaved', timings, withoutHttp),
  http_floor: httpFloorFigures('the same POST, same client, to a bare node:http server in the appliance process that answers one SSE chunk at once', timings, withoutHttp, floorTtfts),
  fetch_client: clientFigures('the same requests with fetch (undici) instead of node:http with a kept-alive connection, interleaved', withFetch, withoutHttp, fetchFloorTtfts),
} satisfies Partial<LegResult>);
