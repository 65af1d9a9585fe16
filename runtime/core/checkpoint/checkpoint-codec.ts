// Checkpoint codec: pure functions between a Checkpoint and its self-checking bytes (layout in FORMAT.md).
import { NexusError } from '../nexus-error.js';
import { canonicalJson } from './canonical-json.js';
import { migrateCheckpoint, OLDEST_CHECKPOINT_FORMAT_VERSION, type RawCheckpoint } from './checkpoint-migrations.js';
import {
  CHECKPOINT_FORMAT_VERSION,
  MODEL_DEPENDENT_SECTIONS,
  type Checkpoint,
  type CheckpointHeader,
  type DecodedCheckpoint,
  type JsonObject,
  type JsonValue,
} from './checkpoint-types.js';
import { sha256 } from './sha256.js';

const MAGIC = [0x4e, 0x58, 0x43, 0x4b]; // "NXCK"
const DIGEST_BYTES = 32;
/** Magic, version, header length, section count and the digest: the smallest possible blob. */
const MIN_BYTES = 4 + 2 + 4 + 2 + DIGEST_BYTES;
const SECTION_NAME = /^[a-z][a-z0-9_-]{0,63}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Options of decodeCheckpoint. */
export interface DecodeCheckpointOptions {
  /** SHA-256 of the model now loaded; when it differs from the header's, model-dependent sections are dropped. */
  modelSha256?: string;
}

/**
 * Encodes a checkpoint in the current format version. The same checkpoint always gives the same
 * bytes, in Node and in browsers (canonical JSON, sections sorted by name).
 * Throws NexusError CHECKPOINT_INVALID naming the path of anything that cannot be stored.
 */
export async function encodeCheckpoint(checkpoint: Checkpoint): Promise<Uint8Array> {
  const problem = headerProblem(checkpoint.header);
  if (problem) throw new NexusError('CHECKPOINT_INVALID', problem);
  if (checkpoint.header.formatVersion !== CHECKPOINT_FORMAT_VERSION) {
    const reason = `expected ${CHECKPOINT_FORMAT_VERSION} (the version this runtime writes), got ${checkpoint.header.formatVersion}`;
    throw new NexusError('CHECKPOINT_INVALID', { path: 'header.formatVersion', reason });
  }
  const { formatVersion, createdAt, producer, modelId, modelSha256 } = checkpoint.header;
  const header = canonicalJson({ formatVersion, createdAt, producer, modelId, modelSha256 }, 'header');
  const names = Object.keys(checkpoint.sections).sort();
  if (names.length > 0xffff) throw new NexusError('CHECKPOINT_INVALID', { path: 'sections', reason: `at most 65535 sections, got ${names.length}` });
  const sections = names.map((name) => {
    if (!SECTION_NAME.test(name)) {
      throw new NexusError('CHECKPOINT_INVALID', { path: `sections[${JSON.stringify(name)}]`, reason: `a section name must match ${SECTION_NAME}` });
    }
    return { name, body: utf8.encode(canonicalJson(checkpoint.sections[name], `sections.${name}`)) };
  });
  return frame(CHECKPOINT_FORMAT_VERSION, utf8.encode(header), sections);
}

/**
 * Decodes and verifies a checkpoint: magic, every length field, the SHA-256 over all content,
 * then the version (older ones migrated). Throws NexusError CHECKPOINT_CORRUPT naming what is
 * wrong, or CHECKPOINT_VERSION_UNSUPPORTED for a version newer than this runtime's.
 */
export async function decodeCheckpoint(bytes: Uint8Array, options: DecodeCheckpointOptions = {}): Promise<DecodedCheckpoint> {
  if (bytes.length < MIN_BYTES) throw corrupt(`${bytes.length} bytes is shorter than the smallest checkpoint (${MIN_BYTES}): the file is truncated or empty`);
  if (MAGIC.some((byte, i) => bytes[i] !== byte)) throw corrupt('the first 4 bytes are not "NXCK": not a Nexus Edge checkpoint');
  const contentEnd = bytes.length - DIGEST_BYTES;
  const digest = await sha256(bytes.subarray(0, contentEnd));
  const version = view(bytes).getUint16(4);
  if (digest.some((byte, i) => bytes[contentEnd + i] !== byte)) throw corrupt(diagnoseMismatch(bytes, version));
  if (version > CHECKPOINT_FORMAT_VERSION) {
    throw new NexusError('CHECKPOINT_VERSION_UNSUPPORTED', { version, supported: CHECKPOINT_FORMAT_VERSION });
  }
  if (version < OLDEST_CHECKPOINT_FORMAT_VERSION) throw corrupt(`unknown format version ${version}`);

  const layout = readLayout(bytes);
  const stored = parseContent(layout);
  if (stored.header.formatVersion !== version) {
    throw corrupt(`header.formatVersion is ${String(stored.header.formatVersion)} but the blob is version ${version}`);
  }
  const current = version < CHECKPOINT_FORMAT_VERSION ? migrateCheckpoint(stored, version) : stored;
  const problem = headerProblem(current.header);
  if (problem) throw corrupt(`[${problem.path}] ${problem.reason}`);
  const header = current.header as unknown as CheckpointHeader;
  const { formatVersion, createdAt, producer, modelId, modelSha256 } = header;

  const modelMismatch = options.modelSha256 !== undefined && options.modelSha256.toLowerCase() !== modelSha256;
  const sections = { ...current.sections };
  const droppedSections = modelMismatch ? MODEL_DEPENDENT_SECTIONS.filter((name) => name in sections) : [];
  for (const name of droppedSections) delete sections[name];
  return {
    header: { formatVersion, createdAt, producer, modelId, modelSha256 },
    sections,
    ...(version < CHECKPOINT_FORMAT_VERSION ? { migratedFrom: version } : {}),
    droppedSections,
    modelMismatch,
  };
}

interface Layout {
  header: Uint8Array;
  sections: { name: string; body: Uint8Array }[];
}

/** Writes the byte layout shared by every format version, digest included. */
async function frame(version: number, header: Uint8Array, sections: { name: string; body: Uint8Array }[]): Promise<Uint8Array> {
  let size = 4 + 2 + 4 + header.length + 2 + DIGEST_BYTES;
  for (const { name, body } of sections) size += 1 + name.length + 4 + body.length;
  const bytes = new Uint8Array(size);
  const data = view(bytes);
  bytes.set(MAGIC, 0);
  data.setUint16(4, version);
  data.setUint32(6, header.length);
  bytes.set(header, 10);
  let offset = 10 + header.length;
  data.setUint16(offset, sections.length);
  offset += 2;
  for (const { name, body } of sections) {
    data.setUint8(offset, name.length);
    bytes.set(utf8.encode(name), offset + 1);
    offset += 1 + name.length;
    data.setUint32(offset, body.length);
    bytes.set(body, offset + 4);
    offset += 4 + body.length;
  }
  bytes.set(await sha256(bytes.subarray(0, offset)), offset);
  return bytes;
}

/** Walks the length fields without ever reading past the content (the bytes before the digest). */
function readLayout(bytes: Uint8Array): Layout {
  const data = view(bytes);
  const end = bytes.length - DIGEST_BYTES;
  let offset = 6;
  const take = (count: number, what: string): number => {
    if (count > end - offset) {
      throw corrupt(`${what} needs ${count} bytes at offset ${offset} but only ${end - offset} remain before the SHA-256: the file is truncated or a length field is damaged`);
    }
    const at = offset;
    offset += count;
    return at;
  };
  const headerLength = data.getUint32(take(4, 'the header length'));
  const header = bytes.subarray(take(headerLength, 'the header'), offset);
  const count = data.getUint16(take(2, 'the section count'));
  const sections: Layout['sections'] = [];
  for (let i = 0; i < count; i++) {
    const nameLength = data.getUint8(take(1, `the name length of section ${i + 1} of ${count}`));
    const name = String.fromCharCode(...bytes.subarray(take(nameLength, `the name of section ${i + 1} of ${count}`), offset));
    if (!SECTION_NAME.test(name)) throw corrupt(`section ${i + 1} of ${count} has an invalid name ${JSON.stringify(name)}`);
    const previous = sections[sections.length - 1];
    if (previous && previous.name >= name) throw corrupt(`section "${name}" follows "${previous.name}": sections must be unique and sorted`);
    const bodyLength = data.getUint32(take(4, `the length of section "${name}"`));
    sections.push({ name, body: bytes.subarray(take(bodyLength, `section "${name}"`), offset) });
  }
  if (offset !== end) throw corrupt(`${end - offset} unexpected bytes after the last section`);
  return { header, sections };
}

/** Explains a digest mismatch: a damaged or truncated layout when one is visible, else altered content. */
function diagnoseMismatch(bytes: Uint8Array, version: number): string {
  const mismatch = 'the SHA-256 does not match the content';
  if (version < OLDEST_CHECKPOINT_FORMAT_VERSION || version > CHECKPOINT_FORMAT_VERSION) return `${mismatch} (the version field reads ${version})`;
  try {
    readLayout(bytes);
  } catch (error) {
    return `${mismatch}; ${(error as NexusError).details.reason}`;
  }
  return `${mismatch}: some bytes were altered after it was written`;
}

function parseContent(layout: Layout): RawCheckpoint {
  const header = parseJson(layout.header, 'the header');
  if (!isObject(header)) throw corrupt('the header is not a JSON object');
  const sections: Record<string, JsonValue> = {};
  for (const { name, body } of layout.sections) sections[name] = parseJson(body, `section "${name}"`);
  return { header, sections };
}

function parseJson(bytes: Uint8Array, what: string): JsonValue {
  try {
    return JSON.parse(strictUtf8.decode(bytes)) as JsonValue;
  } catch (error) {
    throw corrupt(`${what} is not valid UTF-8 JSON: ${(error as Error).message}`);
  }
}

/** The first problem of a header (as the path and what was expected), or undefined when it is valid. */
function headerProblem(header: unknown): { path: string; reason: string } | undefined {
  if (!isObject(header)) return { path: 'header', reason: 'expected an object' };
  if (!Number.isInteger(header.formatVersion)) return { path: 'header.formatVersion', reason: `expected an integer, got ${JSON.stringify(header.formatVersion)}` };
  for (const key of ['createdAt', 'producer', 'modelId', 'modelSha256'] as const) {
    const value = header[key];
    if (typeof value !== 'string' || value === '') return { path: `header.${key}`, reason: `expected a non-empty string, got ${JSON.stringify(value)}` };
  }
  if (Number.isNaN(Date.parse(header.createdAt as string))) return { path: 'header.createdAt', reason: `expected an ISO 8601 time, got ${JSON.stringify(header.createdAt)}` };
  if (!SHA256_HEX.test(header.modelSha256 as string)) return { path: 'header.modelSha256', reason: `expected 64 lowercase hex digits, got ${JSON.stringify(header.modelSha256)}` };
  return undefined;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function corrupt(reason: string): NexusError {
  return new NexusError('CHECKPOINT_CORRUPT', { reason });
}
