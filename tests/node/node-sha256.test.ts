// nodeSha256Hex: node:crypto's SHA-256 of a model file gives the digest WebCrypto gives, and is what a loaded model reports.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../runtime/core/checkpoint/sha256.js';
import { nodeSha256Hex } from '../../runtime/node/node-sha256.js';
import { seededRandom } from '../../runtime/core/generation/seeded-random.js';
import { lexiconModel } from '../support/lexicon-model.js';

describe('nodeSha256Hex', () => {
  it('gives WebCrypto’s digest for the empty input, whole buffers and views into a larger one', async () => {
    const random = seededRandom(11);
    const buffer = Uint8Array.from({ length: 100_003 }, () => Math.floor(random() * 256));
    for (const bytes of [new Uint8Array(0), buffer, buffer.subarray(17, 65_553), buffer.subarray(99_000)]) {
      expect(await nodeSha256Hex(bytes)).toBe(await sha256Hex(bytes));
    }
    expect(await nodeSha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('lexicon-tiny q8 loaded from its directory reports the registry’s SHA-256 of its file', async () => {
    const registry = JSON.parse(readFileSync(new URL('../../models/registry.json', import.meta.url), 'utf8')) as { models: { id: string; files: Record<string, { path: string; sha256?: string }[]> }[] };
    const q8File = registry.models.find((model) => model.id === 'lexicon-tiny')!.files.q8.find((file) => file.path.endsWith('.onnx'))!;
    expect((await lexiconModel('q8')).modelSha256).toBe(q8File.sha256);
  });
});
