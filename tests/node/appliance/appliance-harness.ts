// Test harness: a real appliance on 127.0.0.1 port 0 with a temp data dir, quiet logs, generous rate limits.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig, type NexusConfig } from '../../../edge-config/config-schema.js';
import { ApplianceLogger } from '../../../runtime/node/appliance/appliance-logger.js';
import { readAdminKey } from '../../../runtime/node/appliance/admin-key.js';
import { startAppliance, type ApplianceHandle, type StartApplianceOptions } from '../../../runtime/node/appliance/start-appliance.js';

/** A config for tests: ephemeral ports, the given data dir, limits that do not get in the way. */
export function testConfig(dataDir: string, overrides: Partial<NexusConfig> = {}): NexusConfig {
  const base = defaultConfig();
  return {
    ...base,
    host: '127.0.0.1',
    port: 0,
    adminPort: 0,
    dataDir,
    rateLimit: { perMinutePerKey: 10_000, perMinutePerAddress: 10_000 },
    generation: { ...base.generation, maxTokens: 24 },
    ...overrides,
  };
}

/** A started appliance, its admin key, its log lines, and a stop function that removes the data dir. */
export interface TestAppliance {
  app: ApplianceHandle;
  dataDir: string;
  adminKey: string;
  logs: string[];
  stop(): Promise<void>;
}

/** Starts an appliance for one test file. */
export async function startTestAppliance(overrides: Partial<NexusConfig> = {}, options: StartApplianceOptions = {}): Promise<TestAppliance> {
  const dataDir = await mkdtemp(join(tmpdir(), 'nexus-appliance-'));
  const logs: string[] = [];
  const logger = new ApplianceLogger({ level: 'debug', write: (line) => logs.push(line) });
  const app = await startAppliance(testConfig(dataDir, overrides), { logger, staticDir: null, ...options });
  return {
    app,
    dataDir,
    adminKey: await readAdminKey(dataDir),
    logs,
    async stop() {
      await app.close('test done');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Reads an SSE response body into events until `until` says stop (or the stream ends). */
export async function readSse(response: Response, until: (event: { event: string; data: string }) => boolean = () => false): Promise<Array<{ event: string; data: string }>> {
  const events: Array<{ event: string; data: string }> = [];
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let index: number;
    while ((index = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, index);
      buffer = buffer.slice(index + 2);
      const event = { event: 'message', data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event.event = line.slice(7);
        else if (line.startsWith('data: ')) event.data += line.slice(6);
      }
      events.push(event);
      if (until(event)) {
        await reader.cancel();
        return events;
      }
    }
  }
  return events;
}
