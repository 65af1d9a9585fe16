// Tests of the checkpoint codec: byte-exact round trips, every damaged byte caught, versions, model mismatch.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../runtime/core/checkpoint/canonical-json.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../../runtime/core/checkpoint/checkpoint-codec.js';
import { CHECKPOINT_FORMAT_VERSION, type Checkpoint } from '../../../runtime/core/checkpoint/checkpoint-types.js';
import { sha256, sha256Hex } from '../../../runtime/core/checkpoint/sha256.js';
import { isNexusError, type NexusError } from '../../../runtime/core/nexus-error.js';

const MODEL_SHA = 'a3'.repeat(32);
const OTHER_SHA = '5c'.repeat(32);
const HEADER = { formatVersion: 2, createdAt: '2025-01-01T00:00:00.000Z', producer: 'test', modelId: 'm', modelSha256: MODEL_SHA };
const QUESTIONS = ['Wie spät ist es?', '¿Dónde está la estación?', '東京の天気は？', 'Что такое ИИ?', 'ما هو الطقس اليوم؟', 'Ça va? 😀', 'e\u0301 vs é', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🧪🚀'];

/** A checkpoint like the appliance writes: lifecycle counters, gate calibration, 50 remembered answers, metrics. */
function realisticCheckpoint(): Checkpoint {
  const entries = Array.from({ length: 50 }, (_, i) => ({
    question: `${QUESTIONS[i % QUESTIONS.length]} #${i}`,
    answer: `Antwort ${i}: ${'ünïcödé ✓ '.repeat(1 + (i % 4))}— 答え${i}`,
    confidence: Math.round((0.5 + (i % 10) / 20) * 1000) / 1000,
    taughtAt: `2025-03-0${1 + (i % 9)}T10:${String(i).padStart(2, '0')}:00.000Z`,
    uses: i * 3,
  }));
  return {
    header: { formatVersion: 2, createdAt: '2025-03-10T08:30:00.000Z', producer: 'nexus-edge/0.1.0 node', modelId: 'lexicon-tiny', modelSha256: MODEL_SHA },
    sections: {
      lifecycle: { starts: 12, requests: 48213, abstentions: 911, lastState: 'serving', uptimeSeconds: 86400.25 },
      gate: { threshold: 0.62, temperature: 1.37, bins: [0.05, 0.12, 0.3, 0.55, 0.81], samples: 2048 },
      memory: { capacity: 512, entries },
      metrics: { latencyMsP50: 41.5, latencyMsP95: 180.25, tokensPerSecond: 23.1, errors: { timeout: 2, engine: 0 } },
    },
  };
}

/** Frames a blob from FORMAT.md alone, independently of the codec: sections in the order given, digest valid. */
async function frameRaw(version: number, header: unknown, sections: [string, unknown][], bodies: Uint8Array[] = []): Promise<Uint8Array> {
  const utf8 = new TextEncoder();
  const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  const headerBytes = utf8.encode(canonicalJson(header));
  const out: number[] = [...utf8.encode('NXCK'), 0, version, ...u32(headerBytes.length), ...headerBytes, 0, sections.length];
  sections.forEach(([name, value], i) => {
    const body = bodies[i] ?? utf8.encode(canonicalJson(value));
    out.push(name.length, ...utf8.encode(name), ...u32(body.length), ...body);
  });
  const content = new Uint8Array(out);
  return new Uint8Array([...content, ...(await sha256(content))]);
}

/** Format version 1: nested model header, `learner` section (FORMAT.md, "Versions and migration"). */
function encodeV1(header: unknown, sections: Record<string, unknown>): Promise<Uint8Array> {
  return frameRaw(1, header, Object.entries(sections).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Sets the version field and recomputes the digest, as a writer of that version would. */
async function withVersion(bytes: Uint8Array, version: number): Promise<Uint8Array> {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint16(4, version);
  copy.set(await sha256(copy.subarray(0, copy.length - 32)), copy.length - 32);
  return copy;
}

async function decodeError(bytes: Uint8Array, options?: { modelSha256?: string }): Promise<NexusError> {
  try {
    await decodeCheckpoint(bytes, options);
  } catch (error) {
    if (isNexusError(error)) return error;
    throw error;
  }
  throw new Error('expected decodeCheckpoint to throw');
}

describe('sha256', () => {
  it('matches the FIPS 180-2 test vectors', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes only the view, not the whole underlying buffer', async () => {
    const buffer = new TextEncoder().encode('xxabcxx');
    expect(await sha256Hex(buffer.subarray(2, 5))).toBe(await sha256Hex(new TextEncoder().encode('abc')));
  });
});

describe('encodeCheckpoint / decodeCheckpoint', () => {
  it('round-trips: encode → decode → encode gives identical bytes and the same content', async () => {
    const checkpoint = realisticCheckpoint();
    const bytes = await encodeCheckpoint(checkpoint);
    const decoded = await decodeCheckpoint(bytes, { modelSha256: MODEL_SHA });
    expect(decoded).toEqual({ ...checkpoint, droppedSections: [], modelMismatch: false });
    expect('migratedFrom' in decoded).toBe(false);
    expect(await encodeCheckpoint(decoded)).toEqual(bytes);
  });

  it('gives the same bytes for the same state whatever the key order, and pins the layout', async () => {
    const a = await encodeCheckpoint(realisticCheckpoint());
    const shuffled = realisticCheckpoint();
    const { metrics, gate, memory, lifecycle } = shuffled.sections;
    shuffled.sections = { metrics, memory, gate, lifecycle };
    expect(await encodeCheckpoint(shuffled)).toEqual(a);

    const tiny = await encodeCheckpoint({
      header: { formatVersion: 2, createdAt: '2025-01-01T00:00:00.000Z', producer: 'p', modelId: 'm', modelSha256: '0'.repeat(64) },
      sections: { b: [1, 'é'], a: { y: null, x: true } },
    });
    const hex = Buffer.from(tiny).toString('hex');
    // magic, version 2, header length 0xa8 (168), header JSON ..., 2 sections, "a" 19 bytes, "b" 8 bytes, digest.
    expect(hex.slice(0, 20)).toBe('4e58434b0002000000a8');
    expect(Buffer.from(tiny.subarray(10, 10 + 0xa8)).toString()).toBe(
      `{"createdAt":"2025-01-01T00:00:00.000Z","formatVersion":2,"modelId":"m","modelSha256":"${'0'.repeat(64)}","producer":"p"}`,
    );
    expect(Buffer.from(tiny.subarray(10 + 0xa8, tiny.length - 32)).toString('latin1')).toBe(
      '\x00\x02\x01a\x00\x00\x00\x13{"x":true,"y":null}\x01b\x00\x00\x00\x08[1,"\xc3\xa9"]',
    );
    expect(await sha256Hex(tiny)).toBe(GOLDEN_SHA256);
  });

  it('detects a flipped byte at every position of a realistic checkpoint', async () => {
    const bytes = await encodeCheckpoint(realisticCheckpoint());
    expect(bytes.length).toBeGreaterThan(5000);
    const missed: number[] = [];
    for (let position = 0; position < bytes.length; position++) {
      for (const mask of [0x01, 0xff]) {
        const damaged = bytes.slice();
        damaged[position] ^= mask;
        const error = await decodeError(damaged).catch(() => undefined);
        if (error?.code !== 'CHECKPOINT_CORRUPT') missed.push(position);
      }
    }
    expect(missed).toEqual([]);
    console.info(`checkpoint-codec: ${bytes.length} positions × 2 masks, every flipped byte detected`);
  });

  it('detects truncation at every length and says it is truncated', async () => {
    const bytes = await encodeCheckpoint(realisticCheckpoint());
    for (let length = 0; length < bytes.length; length++) {
      const error = await decodeError(bytes.subarray(0, length));
      expect(error.code, `length ${length}`).toBe('CHECKPOINT_CORRUPT');
      expect(error.message, `length ${length}`).toMatch(/truncated/);
    }
  });

  it('names the section whose length runs past the end', async () => {
    const bytes = await encodeCheckpoint(realisticCheckpoint());
    const error = await decodeError(bytes.subarray(0, bytes.length - 100));
    expect(error.message).toMatch(/section "metrics" needs \d+ bytes/);
  });

  it('refuses what is not a checkpoint', async () => {
    const error = await decodeError(new TextEncoder().encode('{"this is":"json, not a checkpoint", "padding": "........................"}'));
    expect(error.code).toBe('CHECKPOINT_CORRUPT');
    expect(error.message).toMatch(/not "NXCK"/);
  });

  it('refuses a newer version with CHECKPOINT_VERSION_UNSUPPORTED, whatever its layout', async () => {
    const newer = await withVersion(await encodeCheckpoint(realisticCheckpoint()), CHECKPOINT_FORMAT_VERSION + 1);
    const error = await decodeError(newer);
    expect(error.code).toBe('CHECKPOINT_VERSION_UNSUPPORTED');
    expect(error.details).toEqual({ version: 3, supported: 2 });
    expect(error.message).toMatch(/version 3 is newer .* \(2\); upgrade/);

    const alien = await withVersion(new Uint8Array([...new TextEncoder().encode('NXCK'), 0, 0, ...new Array(100).fill(7), ...new Array(32)]), 9);
    expect((await decodeError(alien)).code).toBe('CHECKPOINT_VERSION_UNSUPPORTED');
  });

  it('refuses version 0, which never existed', async () => {
    const error = await decodeError(await withVersion(await encodeCheckpoint(realisticCheckpoint()), 0));
    expect(error.code).toBe('CHECKPOINT_CORRUPT');
    expect(error.message).toMatch(/unknown format version 0/);
  });

  it('migrates version 1 (nested model header, `learner` section, no metrics) to version 2', async () => {
    const current = realisticCheckpoint();
    const v1 = await encodeV1(
      { formatVersion: 1, createdAt: current.header.createdAt, producer: 'nexus-edge/0.0.9 node', model: { id: 'lexicon-tiny', sha256: MODEL_SHA } },
      { lifecycle: current.sections.lifecycle, gate: current.sections.gate, learner: current.sections.memory },
    );
    const decoded = await decodeCheckpoint(v1, { modelSha256: MODEL_SHA });
    expect(decoded.migratedFrom).toBe(1);
    expect(decoded.header).toEqual({ ...current.header, producer: 'nexus-edge/0.0.9 node' });
    expect(decoded.sections).toEqual({ lifecycle: current.sections.lifecycle, gate: current.sections.gate, memory: current.sections.memory });
    expect(decoded.droppedSections).toEqual([]);

    const again = await decodeCheckpoint(await encodeCheckpoint(decoded));
    expect(again.migratedFrom).toBeUndefined();
    expect(again.sections).toEqual(decoded.sections);
  });

  it('refuses a version 1 blob without its model object', async () => {
    const v1 = await encodeV1({ formatVersion: 1, createdAt: '2025-01-01T00:00:00Z', producer: 'x' }, { learner: [] });
    expect((await decodeError(v1)).message).toMatch(/version 1 header has no "model" object/);
  });

  it.each([
    ['sections out of order', async () => frameRaw(2, HEADER, [['memory', 1], ['gate', 2]]), /"gate" follows "memory": sections must be unique and sorted/],
    ['a duplicate section', async () => frameRaw(2, HEADER, [['gate', 1], ['gate', 2]]), /"gate" follows "gate"/],
    ['an invalid section name', async () => frameRaw(2, HEADER, [['Gate', 1]]), /invalid name "Gate"/],
    ['invalid UTF-8 in a section', async () => frameRaw(2, HEADER, [['memory', null]], [new Uint8Array([0x22, 0xff, 0x22])]), /section "memory" is not valid UTF-8 JSON/],
    ['a section that is not JSON', async () => frameRaw(2, HEADER, [['memory', null]], [new TextEncoder().encode('{oops')]), /section "memory" is not valid UTF-8 JSON/],
    ['a header that is not an object', async () => frameRaw(2, [HEADER], []), /the header is not a JSON object/],
    ['a header version unlike the blob version', async () => frameRaw(2, { ...HEADER, formatVersion: 1 }, []), /header.formatVersion is 1 but the blob is version 2/],
    ['an empty modelId', async () => frameRaw(2, { ...HEADER, modelId: '' }, []), /\[header.modelId\] expected a non-empty string/],
  ])('refuses a blob with a valid digest but %s', async (_label, build, reason) => {
    const error = await decodeError(await build());
    expect(error.code).toBe('CHECKPOINT_CORRUPT');
    expect(error.message).toMatch(reason);
  });

  it('refuses unexpected bytes after the last section', async () => {
    const bytes = await frameRaw(2, HEADER, [['gate', 1], ['memory', 2]]);
    bytes[10 + new TextEncoder().encode(canonicalJson(HEADER)).length + 1] = 1; // section count 2 → 1
    const error = await decodeError(await withVersion(bytes, 2));
    expect(error.message).toMatch(/\d+ unexpected bytes after the last section/);
  });

  it('drops the model-dependent `gate` section of another model and says so', async () => {
    const bytes = await encodeCheckpoint(realisticCheckpoint());
    const decoded = await decodeCheckpoint(bytes, { modelSha256: OTHER_SHA });
    expect(decoded.modelMismatch).toBe(true);
    expect(decoded.droppedSections).toEqual(['gate']);
    expect(Object.keys(decoded.sections).sort()).toEqual(['lifecycle', 'memory', 'metrics']);
    expect(decoded.header.modelSha256).toBe(MODEL_SHA);

    const same = await decodeCheckpoint(bytes, { modelSha256: MODEL_SHA.toUpperCase() });
    expect(same).toMatchObject({ modelMismatch: false, droppedSections: [] });
    expect(same.sections.gate).toBeDefined();
    expect(await decodeCheckpoint(bytes)).toMatchObject({ modelMismatch: false, droppedSections: [] });
  });

  it.each([
    ['a NaN metric', (c: Checkpoint) => void ((c.sections.metrics as Record<string, unknown>).latencyMsP95 = Number.NaN), 'sections.metrics.latencyMsP95'],
    ['a bad model hash', (c: Checkpoint) => void (c.header.modelSha256 = 'abc'), 'header.modelSha256'],
    ['a bad time', (c: Checkpoint) => void (c.header.createdAt = 'yesterday'), 'header.createdAt'],
    ['an old version', (c: Checkpoint) => void (c.header.formatVersion = 1), 'header.formatVersion'],
    ['a bad section name', (c: Checkpoint) => void (c.sections['Gate Calibration'] = 1), 'sections["Gate Calibration"]'],
  ])('refuses to encode %s with CHECKPOINT_INVALID naming the path', async (_label, damage, path) => {
    const checkpoint = realisticCheckpoint();
    damage(checkpoint);
    await expect(encodeCheckpoint(checkpoint)).rejects.toMatchObject({ code: 'CHECKPOINT_INVALID', details: { path } });
  });

  it('property: random JSON sections round-trip byte for byte', async () => {
    const sectionName = fc.stringMatching(/^[a-z][a-z0-9_-]{0,12}$/);
    await fc.assert(
      fc.asyncProperty(fc.dictionary(sectionName, fc.jsonValue(), { maxKeys: 6 }), async (sections) => {
        // fast-check types object members as optional (`?: JsonValue`) though jsonValue() never makes them undefined.
        const checkpoint = { header: realisticCheckpoint().header, sections: sections as Checkpoint['sections'] };
        const bytes = await encodeCheckpoint(checkpoint);
        const decoded = await decodeCheckpoint(bytes);
        expect(decoded.sections).toEqual(JSON.parse(JSON.stringify(sections)));
        expect(await encodeCheckpoint(decoded)).toEqual(bytes);
      }),
      { numRuns: 200 },
    );
  });
});

/** SHA-256 of the tiny checkpoint above: changes only if the byte layout changes (then bump the version). */
const GOLDEN_SHA256 = 'a0f9ea30ae8ca65fe657bc8da5c0e1be11d79b28c610da17b3e3c01f37149e59';
