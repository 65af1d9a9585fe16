// SHA-256 through WebCrypto (crypto.subtle), which Node 20 and every browser provide to secure contexts; elsewhere
// (the PWA over plain HTTP on a LAN) in JavaScript.
import { sha256Portable } from './sha256-portable.js';

/** The 32-byte SHA-256 digest of `bytes`. */
export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (!subtle) return sha256Portable(bytes);
  // WebCrypto refuses views over a SharedArrayBuffer; copy those (a plain buffer is used in place).
  const view = bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
  return new Uint8Array(await subtle.digest('SHA-256', view));
}

/** The SHA-256 of `bytes` as 64 lowercase hex digits. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await sha256(bytes);
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
