// pullModel over real HTTP (a server on 127.0.0.1 in the Hugging Face layout): complete, resumed, corrupted, 404, no Range.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isNexusError, type NexusError } from '../../../runtime/core/nexus-error.js';
import { pullModel, type PullProgress } from '../../../runtime/node/models/pull-model.js';
import { verifyModel } from '../../../runtime/node/models/verify-model.js';
import { listModels } from '../../../runtime/node/models/list-models.js';
import { lockFileName } from '../../../runtime/node/models/model-lock-file.js';
import { freePort } from '../../support/free-port.js';
import { lexiconDirectory } from '../../support/lexicon-model.js';
import { startModelFileServer, type ModelFileServer } from './model-file-server.js';
import { publishedLexiconRegistry } from './published-lexicon-registry.js';

const repo = 'nexus-test/lexicon-tiny';
const revision = 'abc123';
const id = 'lexicon-remote';
const onnxPath = 'onnx/model_quantized.onnx';
const onnxSize = statSync(join(lexiconDirectory, onnxPath)).size;

/** The built-in entry as if it were published on the hub: same files and real SHA-256s, a repo and revision. */
const testRegistry = (withChecksums = true) => publishedLexiconRegistry({ id, repo, revision, source: `https://huggingface.co/${repo}`, verified: false, withChecksums });

function expectSameAsOriginal(modelsDirectory: string, path: string): void {
  expect(readFileSync(join(modelsDirectory, id, path)).equals(readFileSync(join(lexiconDirectory, path)))).toBe(true);
}

async function pullError(promise: Promise<unknown>): Promise<NexusError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isNexusError(error)).toBe(true);
  return error as NexusError;
}

let server: ModelFileServer;
let modelsDirectory: string;

beforeAll(async () => {
  server = await startModelFileServer(lexiconDirectory, repo, revision);
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  modelsDirectory = await mkdtemp(join(tmpdir(), 'nexus-pull-'));
  await writeFile(join(modelsDirectory, 'registry.json'), JSON.stringify(testRegistry()));
  server.behaviour = {};
  server.requests.length = 0;
});
afterEach(async () => {
  await rm(modelsDirectory, { recursive: true, force: true });
});

describe('pullModel from a local mirror', () => {
  it('pulls every file of the dtype, identical to the originals, with monotonic progress reaching the total', async () => {
    const progress: PullProgress[] = [];
    const result = await pullModel({ id, dtype: 'q8', modelsDirectory, mirror: server.mirror, onProgress: (event) => progress.push(event) });
    const paths = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', onnxPath];
    for (const path of paths) expectSameAsOriginal(modelsDirectory, path);
    expect(result.files.map((file) => file.path).sort()).toEqual([...paths].sort());
    expect(result.files.at(-1)?.path).toBe('config.json');
    expect(server.requests.every((request) => request.path && request.status === 200 && request.range === undefined)).toBe(true);

    const total = paths.reduce((sum, path) => sum + statSync(join(lexiconDirectory, path)).size, 0);
    expect(result.transferredBytes).toBe(total);
    for (let i = 1; i < progress.length; i++) expect(progress[i].overallReceived).toBeGreaterThanOrEqual(progress[i - 1].overallReceived);
    expect(progress.at(-1)).toMatchObject({ overallReceived: total, overallTotal: total });
    expect(progress.every((event) => event.bytesPerSecond >= 0)).toBe(true);
    expect(existsSync(join(modelsDirectory, '.partial', id))).toBe(false);

    const lock = JSON.parse(readFileSync(join(modelsDirectory, id, lockFileName), 'utf8'));
    expect(lock.files[onnxPath]).toMatchObject({ size: onnxSize, trustedOnFirstUse: false });
    const verification = await verifyModel({ id, modelsDirectory });
    expect(verification).toMatchObject({ ok: true, dtypes: ['q8'] });
    const listed = (await listModels(modelsDirectory)).find((model) => model.entry.id === id)!;
    expect(listed.installedDtypes).toEqual(['q8']);
    expect(listed.installedBytes).toBe(total);

    const again = await pullModel({ id, dtype: 'q8', modelsDirectory, mirror: server.mirror });
    expect(again.transferredBytes).toBe(0);
    expect(again.files.every((file) => file.skipped)).toBe(true);
  });

  it('resumes an interrupted pull with a Range request from the partial file size', async () => {
    server.behaviour.dropOnce = { path: onnxPath, afterBytes: 3_000_000 };
    const first = await pullError(pullModel({ id, dtype: 'q8', modelsDirectory, mirror: server.mirror }));
    expect(first.code).toBe('DOWNLOAD_FAILED');
    expect(first.details.file).toBe(onnxPath);
    const partialPath = join(modelsDirectory, '.partial', id, `${onnxPath}.part`);
    const partialSize = statSync(partialPath).size;
    expect(partialSize).toBeGreaterThan(0);
    expect(partialSize).toBeLessThan(onnxSize);
    expect(existsSync(join(modelsDirectory, id, onnxPath))).toBe(false);

    server.requests.length = 0;
    const resumed = await pullModel({ id, dtype: 'q8', modelsDirectory, mirror: server.mirror });
    const onnxRequest = server.requests.find((request) => request.path === onnxPath)!;
    expect(onnxRequest).toMatchObject({ range: `bytes=${partialSize}-`, status: 206, bodyBytes: onnxSize - partialSize });
    const onnxFile = resumed.files.find((file) => file.path === onnxPath)!;
    expect(onnxFile).toMatchObject({ resumedFrom: partialSize, transferredBytes: onnxSize - partialSize });
    expect(onnxFile.transferredBytes).toBeLessThan(onnxSize);
    expectSameAsOriginal(modelsDirectory, onnxPath);
    console.info(`resume: ${partialSize} of ${onnxSize} bytes kept, ${onnxFile.transferredBytes} transferred on resume`);
  });

  it('keeps the partial file when the pull is aborted mid-file, and resumes it', async () => {
    const controller = new AbortController();
    const onProgress = (event: PullProgress) => {
      if (event.file === onnxPath && event.receivedBytes > 1_000_000) controller.abort();
    };
    const aborted = await pullError(pullModel({ id, dtype: 'q8', modelsDirectory, mirror: server.mirror, signal: controller.signal, onProgress }));
    expect(aborted).toMatchObject({ code: 'DOWNLOAD_FAILED', details: { file: onnxPath, aborted: true } });
    const partialSize = statSync(join(modelsDirectory, '.partial', id, `${onnxPath}.part`)).size;
    expect(partialSize).toBeGreaterThan(1_000_000);

    const resumed = await pullModel({ id, dtype: 'q8', modelsDirectory, mirror: server.mirror });
    expect(resumed.files.find((file) => file.path === onnxPath)).toMatchObject({ resumedFrom: partialSize, transferredBytes: onnxSize - partialSize });
    expectSameAsOriginal(modelsDirectory, onnxPath);
  });

  it('detects a corrupted file: CHECKSUM_MISMATCH naming it, partial deleted, nothing moved into place', async () => {
    server.behaviour.corrupt = onnxPath;
    const error = await pullError(pullModel({ id, dtype: 'q8', modelsDirectory, mirror: server.mirror }));
    const expected = testRegistry().models[0].files.q8[0].sha256;
    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(error.details).toMatchObject({ file: onnxPath, expected });
    expect(error.details.actual).toMatch(/^[0-9a-f]{64}$/);
    expect(error.details.actual).not.toBe(expected);
    expect(error.message).toContain(onnxPath);
    expect(existsSync(join(modelsDirectory, '.partial', id, `${onnxPath}.part`))).toBe(false);
    expect(existsSync(join(modelsDirectory, id))).toBe(false);

    server.behaviour = {};
    await pullModel({ id, dtype: 'q8', modelsDirectory, mirror: server.mirror });
    expectSameAsOriginal(modelsDirectory, onnxPath);
  });

  it('turns a 404 into DOWNLOAD_FAILED naming the file and the status', async () => {
    server.behaviour.notFound = 'tokenizer.json';
    const error = await pullError(pullModel({ id, dtype: 'q8', modelsDirectory, mirror: server.mirror }));
    expect(error).toMatchObject({ code: 'DOWNLOAD_FAILED', details: { file: 'tokenizer.json', status: 404 } });
    expect(error.message).toContain('tokenizer.json');
    expect(error.message).toContain('404');
  });

  it('names the host and the network error when the mirror cannot be reached', async () => {
    const port = await freePort();
    const error = await pullError(pullModel({ id, dtype: 'q8', modelsDirectory, mirror: `http://127.0.0.1:${port}` }));
    expect(error).toMatchObject({ code: 'DOWNLOAD_FAILED', details: { unreachable: true, aborted: false } });
    expect(error.message).toBe(`download of ${onnxPath} failed: could not reach 127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port})`);
  });

  it('restarts the file when the server ignores Range (200), and still ends with a correct file', async () => {
    server.behaviour.dropOnce = { path: onnxPath, afterBytes: 2_000_000 };
    await pullError(pullModel({ id, dtype: 'q8', modelsDirectory, mirror: server.mirror }));
    server.behaviour.ignoreRange = true;
    server.requests.length = 0;
    const result = await pullModel({ id, dtype: 'q8', modelsDirectory, mirror: server.mirror });
    expect(server.requests.find((request) => request.path === onnxPath)).toMatchObject({ status: 200 });
    expect(server.requests.find((request) => request.path === onnxPath)?.range).toMatch(/^bytes=\d+-$/);
    expect(result.files.find((file) => file.path === onnxPath)).toMatchObject({ resumedFrom: 0, transferredBytes: onnxSize });
    expectSameAsOriginal(modelsDirectory, onnxPath);
  });

  it('without registry checksums, pins the hashes seen on first pull and verify catches a later change', async () => {
    await writeFile(join(modelsDirectory, 'registry.json'), JSON.stringify(testRegistry(false)));
    const result = await pullModel({ id, dtype: 'q8', modelsDirectory, mirror: server.mirror });
    expect(result.files.every((file) => file.trustedOnFirstUse)).toBe(true);
    expect((await verifyModel({ id, modelsDirectory })).ok).toBe(true);

    const tampered = join(modelsDirectory, id, 'tokenizer_config.json');
    writeFileSync(tampered, readFileSync(tampered, 'utf8').replace('<|end|>', '<|END|>'));
    const verification = await verifyModel({ id, modelsDirectory });
    expect(verification.ok).toBe(false);
    expect(verification.files.filter((file) => !file.ok)).toEqual([expect.objectContaining({ path: 'tokenizer_config.json', reason: 'SHA-256 mismatch' })]);
  });

  it('on 416 (the partial already holds the whole file) verifies the partial and installs it without a transfer', async () => {
    await writeFile(join(modelsDirectory, 'registry.json'), JSON.stringify(testRegistry(false)));
    const partialPath = join(modelsDirectory, '.partial', id, 'tokenizer.json.part');
    await mkdir(dirname(partialPath), { recursive: true });
    await writeFile(partialPath, readFileSync(join(lexiconDirectory, 'tokenizer.json')));
    const result = await pullModel({ id, dtype: 'q8', modelsDirectory, mirror: server.mirror });
    const size = statSync(join(lexiconDirectory, 'tokenizer.json')).size;
    expect(server.requests.find((request) => request.path === 'tokenizer.json')).toMatchObject({ status: 416, range: `bytes=${size}-` });
    expect(result.files.find((file) => file.path === 'tokenizer.json')).toMatchObject({ resumedFrom: size, transferredBytes: 0 });
    expectSameAsOriginal(modelsDirectory, 'tokenizer.json');
  });

  it('refuses a model with no repository (built in) and an unknown id', async () => {
    await writeFile(join(modelsDirectory, 'registry.json'), readFileSync(join(lexiconDirectory, '..', 'registry.json')));
    expect((await pullError(pullModel({ id: 'lexicon-tiny', dtype: 'q8', modelsDirectory, mirror: server.mirror }))).code).toBe('INVALID_OPTION');
    expect((await pullError(pullModel({ id: 'nope', dtype: 'q8', modelsDirectory, mirror: server.mirror }))).message).toContain('lexicon-tiny');
    expect(server.requests).toHaveLength(0);
  });
});
