// nexusctl logs --json: every line printed is one JSON object, so jq reads it, a crash trace included.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './cli-harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'nexusctl-logs-json-'));
const entry = JSON.stringify({ time: '2026-01-01T00:00:00.000Z', level: 'info', event: 'appliance.started' });

beforeAll(async () => {
  mkdirSync(join(dataDir, 'logs'));
  writeFileSync(join(dataDir, 'logs', 'nexus.log'), `${entry}\nTypeError: boom\n    at main (file.js:1:1)\n[1,2]\n`);
  await ensureBuilt();
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('nexusctl logs --json', () => {
  it('prints the JSON lines as they are and wraps the others, one object a line', async () => {
    const logs = await runCli(['logs', '--json', '-n', '10', '--data-dir', dataDir]);
    expect(logs.code).toBe(0);
    expect(logs.stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual([
      JSON.parse(entry),
      { event: 'text', text: 'TypeError: boom' },
      { event: 'text', text: '    at main (file.js:1:1)' },
      { event: 'text', text: '[1,2]' },
    ]);
  });
});
