// utf8TailMayBeIncomplete: whether a streaming UTF-8 decoder could still be holding the end of these bytes.

/** Bytes a lead byte's sequence has in all; 0 for bytes that cannot start a multi-byte sequence. */
function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

const isContinuation = (byte: number) => (byte & 0xc0) === 0x80;

/**
 * True when `bytes`, appended to a stream that held nothing before them, may end inside a
 * character: the last lead byte is followed by fewer continuation bytes than it needs. It never
 * answers false while a WHATWG decoder in streaming mode holds bytes; it may answer true where the
 * decoder has already replaced an invalid sequence (the caller then just stays on the slower path).
 */
export function utf8TailMayBeIncomplete(bytes: ArrayLike<number>): boolean {
  let continuations = 0;
  for (let i = bytes.length - 1; i >= 0 && i >= bytes.length - 4; i--) {
    const byte = bytes[i];
    if (isContinuation(byte)) {
      continuations++;
      continue;
    }
    const length = sequenceLength(byte);
    return length > 0 && continuations < length - 1;
  }
  return false;
}
