// Protocol Buffers wire format: just enough to walk an ONNX model's messages and write edited ones.
import { NexusError } from '../../nexus-error.js';

/** One field of a message; `start`..`end` is the payload of a length-delimited or fixed field. */
export interface WireField {
  number: number;
  wireType: 0 | 1 | 2 | 5;
  /** The value of a varint field (0 otherwise). */
  varint: number;
  /** The field's bytes, key included: what to copy when the field passes through unchanged. */
  fieldStart: number;
  start: number;
  end: number;
}

function malformed(reason: string): NexusError {
  return new NexusError('MODEL_CORRUPT', { path: 'ONNX model', reason: `not a valid ONNX protobuf (${reason})` });
}

/** Fields of the message in `bytes[start, end)`, in order. */
export function* readFields(bytes: Uint8Array, start = 0, end = bytes.length): Generator<WireField> {
  let position = start;
  const readVarint = (): number => {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (position >= end) throw malformed('a varint runs past the end of its message');
      const byte = bytes[position++];
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return value;
      scale *= 128;
    }
    throw malformed('a varint is longer than 10 bytes');
  };
  while (position < end) {
    const fieldStart = position;
    const key = readVarint();
    const wireType = key % 8;
    const number = Math.floor(key / 8);
    if (wireType === 0) {
      const varint = readVarint();
      yield { number, wireType, varint, fieldStart, start: position, end: position };
      continue;
    }
    let length: number;
    if (wireType === 2) length = readVarint();
    else if (wireType === 1) length = 8;
    else if (wireType === 5) length = 4;
    else throw malformed(`wire type ${wireType} at byte ${fieldStart}`);
    const payloadStart = position;
    position += length;
    if (position > end) throw malformed(`field ${number} at byte ${fieldStart} runs past the end of its message`);
    yield { number, wireType, varint: 0, fieldStart, start: payloadStart, end: position };
  }
}

/** A packed repeated int32 field's values: negative ones are written sign-extended to 64 bits, of which the low 32 count. */
export function packedInt32s(bytes: Uint8Array, field: WireField): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (let at = field.start; at < field.end; at++) {
    if (shift < 32) value |= (bytes[at] & 0x7f) << shift;
    shift += 7;
    if ((bytes[at] & 0x80) === 0) {
      values.push(value | 0);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/** The UTF-8 string in a length-delimited field. */
export function fieldText(bytes: Uint8Array, field: WireField): string {
  return utf8Decoder.decode(bytes.subarray(field.start, field.end));
}

const utf8Decoder = new TextDecoder();
const utf8Encoder = new TextEncoder();

function varintBytes(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return out;
}

/** Bytes written straight into the finished message, so a large payload is never copied. */
type DeferredPart = { size: number; write: (target: Uint8Array) => void };

/**
 * Builds a message from fields appended in order. Nested messages and deferred payloads are
 * written once, into the one buffer `finish` allocates: an edited 30 MB model costs 30 MB, not
 * a copy per nesting level.
 */
export class MessageWriter {
  private readonly parts: (Uint8Array | MessageWriter | DeferredPart)[] = [];
  private length = 0;

  /** Bytes the finished message will have. */
  get size(): number {
    return this.length;
  }

  varint(fieldNumber: number, value: number): this {
    return this.raw(Uint8Array.from([...varintBytes(fieldNumber * 8), ...varintBytes(value)]));
  }

  bytes(fieldNumber: number, payload: Uint8Array): this {
    return this.header(fieldNumber, payload.length).raw(payload);
  }

  text(fieldNumber: number, value: string): this {
    return this.bytes(fieldNumber, utf8Encoder.encode(value));
  }

  /** A nested message, complete when appended. */
  message(fieldNumber: number, message: MessageWriter): this {
    this.header(fieldNumber, message.size);
    return this.push(message, message.size);
  }

  /** A length-delimited field of `size` bytes that `write` fills when the message is finished. */
  deferred(fieldNumber: number, size: number, write: (target: Uint8Array) => void): this {
    this.header(fieldNumber, size);
    return this.push({ size, write }, size);
  }

  /** Bytes already encoded as fields (e.g. a field copied from the source message). */
  raw(encoded: Uint8Array): this {
    return this.push(encoded, encoded.length);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    this.writeInto(out);
    return out;
  }

  private writeInto(target: Uint8Array): void {
    let offset = 0;
    for (const part of this.parts) {
      if (part instanceof Uint8Array) {
        target.set(part, offset);
        offset += part.length;
      } else if (part instanceof MessageWriter) {
        part.writeInto(target.subarray(offset, offset + part.size));
        offset += part.size;
      } else {
        part.write(target.subarray(offset, offset + part.size));
        offset += part.size;
      }
    }
  }

  private header(fieldNumber: number, length: number): this {
    return this.raw(Uint8Array.from([...varintBytes(fieldNumber * 8 + 2), ...varintBytes(length)]));
  }

  private push(part: Uint8Array | MessageWriter | DeferredPart, size: number): this {
    this.parts.push(part);
    this.length += size;
    return this;
  }
}
