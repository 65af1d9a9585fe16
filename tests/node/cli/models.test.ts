// nexusctl models pull / list / verify, run as the built CLI against a real local HTTP mirror in the Hugging Face layout.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModelRegistry } from '../../../runtime/core/registry/model-registry.js';
import { freePort } from '../../support/free-port.js';
import { lexiconDirectory } from '../../support/lexicon-model.js';
import { startModelFileServer, type ModelFileServer } from '../models/model-file-server.js';
import { ensureBuilt, runCli, spawnCli } from './cli-harness.js';

const repo = 'nexus-test/lexicon-tiny';
const revision = 'r1';
const scratch = mkdtempSync(join(tmpdir(), 'nexus-cli-models-'));
const modelsDir = join(scratch, 'models');
const configFile = join(scratch, 'config.json');

describe('nexusctl models', () => {
  let server: ModelFileServer;

  beforeAll(async () => {
    await ensureBuilt();
    server = await startModelFileServer(lexiconDirectory, repo, revision);
    const builtin = parseModelRegistry(JSON.parse(readFileSync(join(lexiconDirectory, '..', 'registry.json'), 'utf8'))).find((entry) => entry.id === 'lexicon-tiny')!;
    const remote = { ...builtin, id: 'lexicon-remote', builtin: false, verified: true, repo, revision, source: `mirror/${repo}` };
    mkdirSync(modelsDir, { recursive: true });
    writeFileSync(join(modelsDir, 'registry.json'), JSON.stringify({ models: [builtin, remote] }));
    writeFileSync(configFile, JSON.stringify({ modelsDir, dataDir: join(scratch, 'data') }));
  });
  afterAll(async () => {
    await server.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('pulls a model from the mirror, lists it as installed, verifies it, and detects a damaged file', async () => {
    const pulled = await runCli(['models', 'pull', 'lexicon-remote', '--dtype', 'q8', '--mirror', server.mirror, '--config', configFile]);
    expect(pulled.stderr).not.toMatch(/nexusctl:/);
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toMatch(/pulled lexicon-remote q8 .*SHA-256 verified/);
    // 8,618,513 bytes, in the decimal MB the progress bar and the PWA use (8.2 if counted in MiB).
    expect(pulled.stdout).toMatch(/\(8\.6 MB transferred/);
    expect(readFileSync(join(modelsDir, 'lexicon-remote/onnx/model_quantized.onnx')).equals(readFileSync(join(lexiconDirectory, 'onnx/model_quantized.onnx')))).toBe(true);

    const listed = JSON.parse((await runCli(['models', 'list', '--json', '--config', configFile])).stdout) as { models: { id: string; installedDtypes: string[] }[] };
    expect(listed.models.find((model) => model.id === 'lexicon-remote')?.installedDtypes).toEqual(['q8']);

    const verified = await runCli(['models', 'verify', 'lexicon-remote', '--config', configFile]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/ok\s+lexicon-remote\/onnx\/model_quantized\.onnx/);

    const path = join(modelsDir, 'lexicon-remote/tokenizer.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"model"', '"modal"'));
    const damaged = await runCli(['models', 'verify', 'lexicon-remote', '--config', configFile]);
    expect(damaged.code).toBe(5);
    expect(damaged.stdout).toMatch(/FAILED\s+lexicon-remote\/tokenizer\.json/);
  }, 120_000);

  it('Ctrl-C during a pull says what is kept and exits 130, after giving the terminal back (the bar hid the cursor)', async () => {
    server.behaviour.stall = { path: 'onnx/model_q4.onnx', afterBytes: 100_000 };
    try {
      const child = spawnCli(['models', 'pull', 'lexicon-remote', '--dtype', 'q4', '--mirror', server.mirror, '--config', configFile]);
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await expect.poll(() => server.requests.some((request) => request.path === 'onnx/model_q4.onnx'), { timeout: 30_000 }).toBe(true);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(stderr).toContain('nexusctl: interrupted; what was downloaded is kept, and pulling again resumes it');
    } finally {
      server.behaviour.stall = undefined;
    }
  }, 60_000);

  it('a pull of an unknown id or from an unreachable mirror is a one-line error with a non-zero exit, naming the host, the network error and the way to another server', async () => {
    const unknown = await runCli(['models', 'pull', 'no-such-model', '--mirror', server.mirror, '--config', configFile]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/^nexusctl: .*no-such-model/m);
    const port = await freePort();
    const down = await runCli(['models', 'pull', 'lexicon-remote', '--dtype', 'q4', '--mirror', `http://127.0.0.1:${port}`, '--config', configFile]);
    expect(down.code).not.toBe(0);
    expect(down.stderr).toContain(`could not reach 127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port})`);
    expect(down.stderr).toMatch(/^nexusctl: download of \S+ failed: could not reach .*\); check the network; to pull from another server: --mirror URL \(or NEXUS_MODEL_MIRROR, or modelMirror in the config\)$/m);
  }, 60_000);
});
