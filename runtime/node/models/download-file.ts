// downloadFile: one file fetched into its `.part` file, resuming with an HTTP Range request from what is there.
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { networkErrorText } from '../../core/network-error-text.js';
import { NexusError } from '../../core/nexus-error.js';

export interface DownloadFileOptions {
  url: string;
  /** The registry path, for messages. */
  file: string;
  partialPath: string;
  /** Size from the registry, when it has one. */
  expectedSize?: number;
  fetch: typeof fetch;
  signal?: AbortSignal;
  /** Called after every chunk with the bytes now in the partial file and the file's total, when known. */
  onBytes?: (receivedBytes: number, totalBytes: number | undefined) => void;
}

export interface DownloadOutcome {
  /** Bytes already in the partial file that the server agreed to continue from (0 for a fresh start). */
  resumedFrom: number;
  /** Bytes received over the network in this call. */
  transferredBytes: number;
  /** 200, 206, 416, or 0 when the partial already had the registry's size and no request was made. */
  status: number;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** `bytes START-END/TOTAL` (or `bytes * /TOTAL`) → its start and total. */
function parseContentRange(header: string | null): { start?: number; total?: number } {
  const match = /^bytes\s+(?:(\d+)-\d+|\*)\/(\d+|\*)$/i.exec(header?.trim() ?? '');
  if (!match) return {};
  return { start: match[1] === undefined ? undefined : Number(match[1]), total: match[2] === '*' ? undefined : Number(match[2]) };
}

function failed(options: DownloadFileOptions, reason: string, extra: Record<string, unknown> = {}, cause?: unknown): NexusError {
  return new NexusError('DOWNLOAD_FAILED', { file: options.file, url: options.url, reason, ...extra }, { cause });
}

/**
 * Downloads `url` into `partialPath`: continues a partial file with `Range: bytes=N-` (206), starts
 * over when the server ignores the range (200), and on 416 leaves the partial for the caller to
 * verify. Network errors and aborts keep the partial file so the next call resumes.
 */
export async function downloadFile(options: DownloadFileOptions): Promise<DownloadOutcome> {
  const { partialPath, expectedSize } = options;
  await mkdir(dirname(partialPath), { recursive: true });
  let offset = await sizeOf(partialPath);
  if (expectedSize !== undefined && offset > expectedSize) {
    await rm(partialPath, { force: true });
    offset = 0;
  }
  if (expectedSize !== undefined && offset === expectedSize && offset > 0) {
    options.onBytes?.(offset, expectedSize);
    return { resumedFrom: offset, transferredBytes: 0, status: 0 };
  }

  let response: Response;
  try {
    response = await options.fetch(options.url, { headers: offset > 0 ? { Range: `bytes=${offset}-` } : {}, signal: options.signal });
  } catch (error) {
    if (options.signal?.aborted) throw failed(options, 'aborted before the server answered', { aborted: true }, error);
    throw failed(options, `could not reach ${new URL(options.url).host} (${networkErrorText(error)})`, { aborted: false, unreachable: true }, error);
  }
  if (response.status === 416) {
    await response.body?.cancel();
    return { resumedFrom: offset, transferredBytes: 0, status: 416 };
  }
  if (response.status !== 200 && response.status !== 206) {
    await response.body?.cancel();
    throw failed(options, `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} from ${options.url}`, { status: response.status });
  }
  const range = parseContentRange(response.headers.get('content-range'));
  if (response.status === 206 && range.start !== offset) {
    await response.body?.cancel();
    throw failed(options, `asked to resume at byte ${offset}, the server sent ${response.headers.get('content-range') ?? 'no Content-Range'}`, { status: 206 });
  }
  // 200: the server ignored the Range header (or there was none) and sends the whole file.
  const resumedFrom = response.status === 206 ? offset : 0;
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  const totalBytes = expectedSize ?? range.total ?? (Number.isFinite(length) ? resumedFrom + length : undefined);

  const handle = await open(partialPath, resumedFrom > 0 ? 'a' : 'w');
  let received = resumedFrom;
  try {
    if (!response.body) throw new Error('the response has no body');
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      await handle.write(value);
      received += value.byteLength;
      options.onBytes?.(received, totalBytes);
    }
  } catch (error) {
    const reason = options.signal?.aborted
      ? `aborted after ${received} bytes; the partial file is kept, pull again to resume`
      : `connection lost after ${received} bytes (${error instanceof Error ? error.message : String(error)}); pull again to resume`;
    throw failed(options, reason, { aborted: Boolean(options.signal?.aborted), receivedBytes: received }, error);
  } finally {
    await handle.close();
  }
  return { resumedFrom, transferredBytes: received - resumedFrom, status: response.status };
}
