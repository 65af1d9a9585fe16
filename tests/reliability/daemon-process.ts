// Reliability harness: the real appliance as a child process (kill -9 able), its JSON log lines captured.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { NexusConfig } from '../../edge-config/config-schema.js';
import { readAdminKey } from '../../runtime/node/appliance/admin-key.js';
import { daemonEnvironment, daemonNodeFlags } from '../../runtime/node/appliance/daemon-process-tuning.js';

/** One JSON log line of the child (non-JSON stdout lines are kept as `{event: 'raw', text}`). */
export type LogLine = Record<string, unknown> & { event: string };

/** A running appliance process. */
export interface DaemonProcess {
  proc: ChildProcess;
  lanUrl: string;
  adminUrl: string;
  adminKey: string;
  /** Every line logged so far (stdout JSON lines). */
  logs: LogLine[];
  /** Raw stdout+stderr text, to grep for secrets. */
  raw: () => string;
  /** POST /api/control on the admin API with the admin key. */
  control(body: Record<string, unknown>): Promise<Response>;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

const fixture = 'tests/reliability/fixtures/daemon-process.ts';

/** Starts the fixture on `dataDir` and resolves once it serves (rejects if it exits or takes over `timeoutMs`); `forceGcMs` runs gc() on that period. */
export async function startDaemonProcess(dataDir: string, overrides: Partial<NexusConfig> = {}, timeoutMs = 60_000, options: { forceGcMs?: number } = {}): Promise<DaemonProcess> {
  const gcFlags = options.forceGcMs ? ['--expose-gc'] : [];
  // Started as the systemd unit and `nexusctl start` start the daemon (V8 flag, one malloc arena).
  const proc = spawn(process.execPath, [...daemonNodeFlags, ...gcFlags, '--import', 'tsx', fixture, dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...daemonEnvironment, ...process.env, NEXUS_TEST_OVERRIDES: JSON.stringify(overrides), NEXUS_TEST_FORCE_GC_MS: String(options.forceGcMs ?? 0) },
  });
  const logs: LogLine[] = [];
  let raw = '';
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  proc.stderr?.on('data', (chunk: Buffer) => (raw += chunk.toString()));
  const ready = new Promise<{ lanUrl: string; adminUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the appliance did not start within ${timeoutMs} ms:\n${raw.slice(-2000)}`)), timeoutMs);
    createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      raw += `${line}\n`;
      let record: LogLine;
      try {
        record = JSON.parse(line) as LogLine;
      } catch {
        record = { event: 'raw', text: line };
      }
      logs.push(record);
      if (record.event === 'fixture.ready') {
        clearTimeout(timer);
        resolve({ lanUrl: String(record.lanUrl), adminUrl: String(record.adminUrl) });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the appliance exited early (${code}):\n${raw.slice(-2000)}`));
    });
  });
  let urls: { lanUrl: string; adminUrl: string };
  try {
    urls = await ready;
  } catch (error) {
    if (proc.exitCode === null) proc.kill('SIGKILL');
    throw error;
  }
  const adminKey = await readAdminKey(dataDir);
  return {
    proc,
    ...urls,
    adminKey,
    logs,
    raw: () => raw,
    control: (body) =>
      fetch(`${urls.adminUrl}/api/control`, { method: 'POST', headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
}

/** POST JSON to `url` (a LAN route) and return the response. */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}
