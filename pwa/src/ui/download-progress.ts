// DownloadProgress: one progress line for a model's files, which are fetched at the same time.

/** What the progress bar and its text show. */
export interface ProgressView {
  /** Bytes received and expected over every file seen so far. */
  loaded: number;
  total: number;
  /** True once every file seen so far is complete, or the load failed: the bar is hidden. */
  done: boolean;
  text: string;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** Sums per-file progress events; a file counts from its first event on. */
export class DownloadProgress {
  private readonly files = new Map<string, { loaded: number; total: number }>();

  update(file: string, loaded: number, total: number): ProgressView {
    this.files.set(file, { loaded, total: Math.max(total, loaded) });
    let sumLoaded = 0;
    let sumTotal = 0;
    const pending: string[] = [];
    for (const [name, progress] of this.files) {
      sumLoaded += progress.loaded;
      sumTotal += progress.total;
      if (progress.loaded < progress.total) pending.push(name);
    }
    const count = this.files.size;
    if (pending.length === 0) return { loaded: sumLoaded, total: sumTotal, done: true, text: `Model ready: ${count} file${count === 1 ? '' : 's'}, ${megabytes(sumTotal)}` };
    const percent = Math.floor((100 * sumLoaded) / sumTotal);
    const what = pending.length === 1 ? pending[0] : `${pending.length} files`;
    return { loaded: sumLoaded, total: sumTotal, done: false, text: `Downloading ${what}: ${percent}% (${megabytes(sumLoaded)} of ${megabytes(sumTotal)})` };
  }

  /** The model did not load: every file received is no ready model (a file may have failed its checksum, or never come). */
  failed(reason: string): ProgressView {
    let loaded = 0;
    for (const progress of this.files.values()) loaded += progress.loaded;
    return { loaded, total: Math.max(loaded, 1), done: true, text: `Model not loaded: ${reason}` };
  }
}
