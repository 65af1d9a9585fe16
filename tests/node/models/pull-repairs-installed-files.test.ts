// pullModel and `nexusctl models pull` over real HTTP: a damaged installed file is hashed and downloaded again, "verified" only when a hash was compared, no empty partial directories left.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isNexusError } from '../../../runtime/core/nexus-error.js';
import { formatPullSummary } from '../../../runtime/node/models/format-pull-summary.js';
import { pullModel } from '../../../runtime/node/models/pull-model.js';
import { verifyModel } from '../../../runtime/node/models/verify-model.js';
import { lexiconDirectory } from '../../support/lexicon-model.js';
import { ensureBuilt, runCli } from '../cli/cli-harness.js';
import { startModelFileServer, type ModelFileServer } from './model-file-server.js';
import { publishedLexiconRegistry } from './published-lexicon-registry.js';

const repo = 'nexus-test/lexicon-tiny';
const revision = 'r2';
const id = 'lexicon-remote';
const q4Path = 'onnx/model_q4.onnx';

/** The built-in entry published under `repo`, with or without its SHA-256s. */
function registryJson(withChecksums: boolean): string {
  return JSON.stringify(publishedLexiconRegistry({ id, repo, revision, source: `mirror/${repo}`, verified: withChecksums, withChecksums }));
}

/** Flips one byte in the middle of `path`: same size, different SHA-256. */
function flipOneByte(path: string): void {
  const bytes = readFileSync(path);
  bytes[Math.floor(bytes.length / 2)] ^= 0xff;
  writeFileSync(path, bytes);
}

const sameAsOriginal = (modelsDirectory: string, path: string) => readFileSync(join(modelsDirectory, id, path)).equals(readFileSync(join(lexiconDirectory, path)));

let server: ModelFileServer;
let modelsDirectory: string;

beforeAll(async () => {
  server = await startModelFileServer(lexiconDirectory, repo, revision);
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  modelsDirectory = await mkdtemp(join(tmpdir(), 'nexus-pull-repair-'));
  await writeFile(join(modelsDirectory, 'registry.json'), registryJson(true));
  server.behaviour = {};
  server.requests.length = 0;
});
afterEach(async () => {
  await rm(modelsDirectory, { recursive: true, force: true });
});

describe('pullModel repairs what is installed', () => {
  it('downloads again an installed file whose size matches but whose SHA-256 does not', async () => {
    await pullModel({ id, dtype: 'q4', modelsDirectory, mirror: server.mirror });
    flipOneByte(join(modelsDirectory, id, q4Path));
    expect((await verifyModel({ id, modelsDirectory })).ok).toBe(false);

    server.requests.length = 0;
    const again = await pullModel({ id, dtype: 'q4', modelsDirectory, mirror: server.mirror });
    expect(server.requests.map((request) => request.path)).toEqual([q4Path]);
    expect(again.files.find((file) => file.path === q4Path)).toMatchObject({ skipped: false, repaired: true, sha256Verified: true, transferredBytes: statSync(join(lexiconDirectory, q4Path)).size });
    expect(again.files.filter((file) => file.path !== q4Path).every((file) => file.skipped && file.sha256Verified && !file.repaired)).toBe(true);
    expect(sameAsOriginal(modelsDirectory, q4Path)).toBe(true);
    expect((await verifyModel({ id, modelsDirectory })).ok).toBe(true);
    expect(formatPullSummary(again)).toMatch(/1 damaged file replaced; SHA-256 verified\)$/);
  });

  it('without registry checksums, repairs against the hash the lock file pinned', async () => {
    await writeFile(join(modelsDirectory, 'registry.json'), registryJson(false));
    await pullModel({ id, dtype: 'q4', modelsDirectory, mirror: server.mirror });
    flipOneByte(join(modelsDirectory, id, 'tokenizer.json'));
    const again = await pullModel({ id, dtype: 'q4', modelsDirectory, mirror: server.mirror });
    expect(again.files.find((file) => file.path === 'tokenizer.json')).toMatchObject({ skipped: false, repaired: true, sha256Verified: true, trustedOnFirstUse: true });
    expect(sameAsOriginal(modelsDirectory, 'tokenizer.json')).toBe(true);
  });

  it('says "verified" only when a hash was compared: a first pull without registry checksums says it recorded them', async () => {
    await writeFile(join(modelsDirectory, 'registry.json'), registryJson(false));
    const first = await pullModel({ id, dtype: 'q4', modelsDirectory, mirror: server.mirror });
    expect(first.files.every((file) => !file.sha256Verified && file.trustedOnFirstUse)).toBe(true);
    expect(formatPullSummary(first)).toContain('SHA-256 recorded on first use');
    expect(formatPullSummary(first)).not.toContain('verified');

    const second = await pullModel({ id, dtype: 'q4', modelsDirectory, mirror: server.mirror });
    expect(formatPullSummary(second)).toBe('(0 B transferred; SHA-256 verified)');

    const q8 = await pullModel({ id, dtype: 'q8', modelsDirectory, mirror: server.mirror });
    expect(formatPullSummary(q8)).toMatch(/SHA-256 verified for 4 files, recorded on first use for 1 file;/);
  });

  it('a failed pull leaves no empty directories under .partial, and keeps what a later pull resumes', async () => {
    server.behaviour.corrupt = q4Path;
    const corrupt = await pullModel({ id, dtype: 'q4', modelsDirectory, mirror: server.mirror }).catch((error: unknown) => error);
    expect(isNexusError(corrupt, 'CHECKSUM_MISMATCH')).toBe(true);
    expect(existsSync(join(modelsDirectory, '.partial'))).toBe(false);

    server.behaviour = { notFound: 'tokenizer.json' };
    const missing = await pullModel({ id, dtype: 'q4', modelsDirectory, mirror: server.mirror }).catch((error: unknown) => error);
    expect(isNexusError(missing, 'DOWNLOAD_FAILED')).toBe(true);
    expect(existsSync(join(modelsDirectory, '.partial'))).toBe(false);

    // What a later pull resumes stays, with the directories holding it; another model's partials too.
    await rm(join(modelsDirectory, id), { recursive: true });
    server.behaviour = { dropOnce: { path: q4Path, afterBytes: 1_000_000 } };
    await mkdir(join(modelsDirectory, '.partial', 'other-model'), { recursive: true });
    await pullModel({ id, dtype: 'q4', modelsDirectory, mirror: server.mirror }).catch(() => undefined);
    expect(statSync(join(modelsDirectory, '.partial', id, `${q4Path}.part`)).size).toBeGreaterThan(0);
    expect(existsSync(join(modelsDirectory, '.partial', 'other-model'))).toBe(true);
  });
});

describe('nexusctl models pull repairs a damaged file', () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 300_000);

  it('the user report: one byte flipped in model_q4.onnx, pull downloads it again and verify passes', async () => {
    const configFile = join(modelsDirectory, 'config.json');
    await writeFile(configFile, JSON.stringify({ modelsDir: modelsDirectory, dataDir: join(modelsDirectory, 'data') }));
    const pull = () => runCli(['models', 'pull', id, '--dtype', 'q4', '--mirror', server.mirror, '--config', configFile]);
    expect((await pull()).code).toBe(0);
    flipOneByte(join(modelsDirectory, id, q4Path));

    const repaired = await pull();
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toMatch(/pulled lexicon-remote q4 .*\(8\.8 MB transferred, 1 damaged file replaced; SHA-256 verified\)/);
    const verified = await runCli(['models', 'verify', id, '--config', configFile]);
    expect(verified.stdout).not.toContain('FAILED');
    expect(verified.code).toBe(0);
  }, 120_000);
});
