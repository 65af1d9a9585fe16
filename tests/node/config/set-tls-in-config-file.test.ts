// setTlsInConfigFile on real files: the certificate set, every other setting and the file's mode kept, a file it cannot read as JSON left alone.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setTlsInConfigFile } from '../../../runtime/node/config/set-tls-in-config-file.js';
import { loadConfig } from '../../../runtime/node/config/load-config.js';

const tls = { cert: '/srv/nexus/tls/server.crt', key: '/srv/nexus/tls/server.key' };

describe('setTlsInConfigFile', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nexus-tls-config-'));
    file = join(dir, 'config.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes a missing file, owner-only, with just the certificate', async () => {
    await expect(setTlsInConfigFile(file, tls)).resolves.toEqual({ changed: true });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ tls });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("keeps the file's other settings, its other tls keys and its mode; a second run changes nothing", async () => {
    writeFileSync(file, `\uFEFF${JSON.stringify({ host: '0.0.0.0', queue: { size: 4 }, tls: { cert: '/old.crt', key: '/old.key', clientCa: 'x' } })}`);
    chmodSync(file, 0o640);
    await expect(setTlsInConfigFile(file, tls)).resolves.toEqual({ changed: true });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ host: '0.0.0.0', queue: { size: 4 }, tls: { ...tls, clientCa: 'x' } });
    expect(statSync(file).mode & 0o777).toBe(0o640);
    const written = readFileSync(file, 'utf8');
    await expect(setTlsInConfigFile(file, tls)).resolves.toEqual({ changed: false });
    expect(readFileSync(file, 'utf8')).toBe(written);
  });

  it('the file it writes loads as the appliance loads it, with the certificate set', async () => {
    writeFileSync(file, JSON.stringify({ port: 9443 }));
    await setTlsInConfigFile(file, tls);
    const { config } = await loadConfig({ flags: { config: file }, env: {} });
    expect(config).toMatchObject({ port: 9443, tls });
  });

  it('leaves a file that is not a JSON object as it is, and says why', async () => {
    for (const [text, why] of [
      ['{ "host": "0.0.0.0", }', /^it is not valid JSON \(/],
      ['["host"]', /^it is not a JSON object$/],
    ] as const) {
      writeFileSync(file, text);
      const edit = await setTlsInConfigFile(file, tls);
      expect('error' in edit && edit.error).toMatch(why);
      expect(readFileSync(file, 'utf8')).toBe(text);
    }
  });
});
