// The JavaScript SHA-256 (used where WebCrypto is missing) against node:crypto's, at every padding boundary and beyond.
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sha256, sha256Hex } from '../../../runtime/core/checkpoint/sha256.js';
import { sha256Portable } from '../../../runtime/core/checkpoint/sha256-portable.js';

const nodeDigest = (bytes: Uint8Array) => new Uint8Array(createHash('sha256').update(bytes).digest());

afterEach(() => vi.unstubAllGlobals());

describe('sha256Portable', () => {
  it('gives the FIPS 180-4 digests of "abc" and of the empty input', () => {
    const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
    expect(hex(sha256Portable(new TextEncoder().encode('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(sha256Portable(new Uint8Array()))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('matches node:crypto for every length from 0 to 300 bytes (one and two padding blocks, several blocks)', () => {
    const bytes = randomBytes(300);
    for (let length = 0; length <= 300; length++) {
      const input = new Uint8Array(bytes.buffer, bytes.byteOffset, length);
      expect(sha256Portable(input), `length ${length}`).toEqual(nodeDigest(input));
    }
  });

  it('matches node:crypto on a 5 MB input and on a view that starts inside its buffer', () => {
    const bytes = new Uint8Array(randomBytes(5 * 1024 * 1024 + 13));
    expect(sha256Portable(bytes)).toEqual(nodeDigest(bytes));
    const view = bytes.subarray(7, 100_007);
    expect(sha256Portable(view)).toEqual(nodeDigest(view));
  });
});

describe('sha256 without WebCrypto', () => {
  it('computes the same digest where crypto.subtle is missing (a browser page over plain HTTP)', async () => {
    const bytes = new Uint8Array(randomBytes(10_000));
    const withWebCrypto = await sha256Hex(bytes);
    vi.stubGlobal('crypto', {});
    expect(globalThis.crypto.subtle).toBeUndefined();
    expect(await sha256Hex(bytes)).toBe(withWebCrypto);
    expect(await sha256(bytes)).toEqual(nodeDigest(bytes));
  });
});
