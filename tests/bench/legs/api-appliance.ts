// Child process of the API leg: the appliance on a temp data dir, port 0, serving the bench Assistant; prints its URL.
// It also serves the API's floor (http-floor-server.ts) in this process, so both run under the same flags.
// A line "ask" on stdin runs the same request through daemon.generate in this process (no HTTP) and prints its timing.
// Built with the runtime (tsconfig.build.json) and run as the daemon runs, compiled, without tsx's loader (~35 MB, ~0.3 s):
// node --max-semi-space-size=1 --expose-gc dist/tests/bench/legs/api-appliance.js DATA_DIR wasm|native OPTIONS_JSON
import { createInterface } from 'node:readline';
import { defaultConfig } from '../../../edge-config/config-schema.js';
import { startAppliance } from '../../../runtime/node/appliance/start-appliance.js';
import { ApplianceLogger } from '../../../runtime/node/appliance/appliance-logger.js';
import { parseLegOptions } from '../leg-result.js';
import { benchAssistant, heldTokens } from './bench-assistant.js';
import { startHttpFloorServer } from './http-floor-server.js';

const dataDir = process.argv[2];
const backend: 'wasm' | 'native' = process.argv[3] === 'native' ? 'native' : 'wasm';
const options = parseLegOptions(process.argv);
const base = defaultConfig();
const loadStarted = performance.now();
const assistant = await benchAssistant(options, backend);
const loadMs = performance.now() - loadStarted;
// The rate limit stays on (its check is on the path timed) but high enough for any --runs.
const rateLimit = { perMinutePerKey: 1_000_000, perMinutePerAddress: 1_000_000 };
const config = { ...base, rateLimit, port: 0, adminPort: 0, dataDir, dtype: options.dtype, threads: options.threads, backend, logs: { ...base.logs, level: 'error' as const } };
const handle = await startAppliance(config, { assistant, staticDir: null, logger: new ApplianceLogger({ level: 'error' }) });
const floor = await startHttpFloorServer();

/** What the chat route hands the daemon for the bench's request, timed the way the HTTP client times it. */
async function askWithoutHttp(): Promise<{ firstMs: number; endMs: number; completionTokens: number }> {
  const t0 = performance.now();
  let first = 0;
  const answer = await handle.daemon.generate(
    { messages: [{ role: 'user', content: options.prompt }], maxTokens: options.tokens },
    { onDelta: () => (first ||= performance.now()) },
  );
  return { firstMs: first - t0, endMs: performance.now() - t0, completionTokens: answer.usage.completionTokens };
}

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'ask') return;
  void askWithoutHttp().then(
    (timing) => process.stdout.write(`${JSON.stringify({ event: 'bench.asked', ...timing })}\n`),
    (error: Error) => process.stdout.write(`${JSON.stringify({ event: 'bench.asked', error: error.message })}\n`),
  );
});
process.stdout.write(`${JSON.stringify({ event: 'bench.ready', lanUrl: handle.lanUrl, floorUrl: floor.url, held: heldTokens(assistant), loadMs })}\n`);
process.on('SIGTERM', () => {
  floor.close();
  void handle.close('SIGTERM').then(() => process.exit(0));
});
