// CacheModelSource: model files fetched from the app's origin once, then read from Cache Storage (offline).
import { NexusError, sha256Hex, type ModelSource } from '../../../runtime/core/index.js';

/** Cache Storage bucket holding model files (outside Workbox's precache, kept across app updates). */
export const MODEL_CACHE = 'nexus-models-v1';

/** Download progress of one file. */
export type ProgressListener = (file: string, loaded: number, total: number) => void;

/**
 * A ModelSource over `baseUrl` with a known file list, caching each file on first read. Files with
 * a known SHA-256 are verified before they are cached: a damaged download is never kept. Where the
 * browser has no Cache Storage (a page over plain HTTP: it is for secure contexts only), each load
 * downloads the files again.
 */
export class CacheModelSource implements ModelSource {
  readonly location: string;

  constructor(
    baseUrl: string,
    private readonly files: readonly string[],
    private readonly onProgress: ProgressListener = () => {},
    private readonly expectedSha256: Readonly<Record<string, string>> = {},
  ) {
    this.location = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  }

  async exists(path: string): Promise<boolean> {
    return this.files.includes(path);
  }

  async readBytes(path: string): Promise<Uint8Array> {
    if (!this.files.includes(path)) throw new NexusError('MODEL_NOT_FOUND', { path: this.location + path });
    const url = new URL(path, this.location).href;
    const cache = typeof caches === 'undefined' ? undefined : await caches.open(MODEL_CACHE);
    const cached = await cache?.match(url);
    if (cached) {
      const bytes = new Uint8Array(await cached.arrayBuffer());
      this.onProgress(path, bytes.byteLength, bytes.byteLength);
      return bytes;
    }
    const bytes = await this.download(url, path);
    const expected = this.expectedSha256[path];
    if (expected) {
      const actual = await sha256Hex(bytes);
      if (actual !== expected.toLowerCase()) throw new NexusError('CHECKSUM_MISMATCH', { file: path, expected, actual });
    }
    await cache?.put(url, new Response(bytes.slice().buffer, { headers: { 'content-type': 'application/octet-stream' } }));
    return bytes;
  }

  /** Streams the body so progress can be shown while a large file arrives. */
  private async download(url: string, path: string): Promise<Uint8Array> {
    let response: Response;
    try {
      response = await fetch(url);
    } catch (error) {
      // The browser says only "Failed to fetch": offline, the host unreachable, or refused by the page's policy.
      const origin = new URL(url).origin;
      const where = origin === self.location.origin ? 'this app' : origin;
      throw new NexusError('DOWNLOAD_FAILED', { file: path, reason: `${where} could not be reached (offline, or the connection was refused); it is not on this device yet — connect and try again` }, { cause: error });
    }
    if (response.status === 404 || response.status === 410) throw new NexusError('MODEL_NOT_FOUND', { path: url, reason: `HTTP ${response.status}` });
    if (!response.ok || !response.body) throw new NexusError('DOWNLOAD_FAILED', { file: path, reason: `the server answered HTTP ${response.status}` });
    const total = Number(response.headers.get('content-length')) || 0;
    const parts: Uint8Array[] = [];
    let loaded = 0;
    const reader = response.body.getReader();
    // A connection dropped mid-file rejects read() with a bare network TypeError: name the file and
    // say what to do. Nothing is cached, so the next attempt downloads the file again.
    const failed = (reason: string, cause?: unknown) => new NexusError('DOWNLOAD_FAILED', { file: path, reason: `${reason} after ${loaded} of ${total || '?'} bytes; check the connection and reload to retry` }, { cause });
    try {
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        parts.push(read.value);
        loaded += read.value.byteLength;
        this.onProgress(path, loaded, total || loaded);
      }
    } catch (error) {
      throw failed(`the connection was interrupted (${(error as Error).message})`, error);
    }
    if (total && loaded !== total) throw failed('the download ended early');
    const bytes = new Uint8Array(loaded);
    let offset = 0;
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.byteLength;
    }
    this.onProgress(path, loaded, loaded);
    return bytes;
  }
}
