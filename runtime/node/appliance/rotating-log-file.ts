// RotatingLogFile: the background daemon's log sink; appends JSON lines and rotates by size while running.
import { closeSync, existsSync, fstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

/** Shifts file → file.1 → … → file.<keep>, dropping the oldest; `file` itself is gone afterwards. */
export function shiftLogFiles(file: string, keep: number): void {
  rmSync(`${file}.${keep}`, { force: true });
  for (let index = keep - 1; index >= 1; index--) {
    if (existsSync(`${file}.${index}`)) renameSync(`${file}.${index}`, `${file}.${index + 1}`);
  }
  if (existsSync(file)) renameSync(file, `${file}.1`);
}

/**
 * Appends whole lines to `path`; once it reaches `maxBytes` the files shift (see shiftLogFiles)
 * and a new file starts, so a daemon that runs for months keeps at most keep + 1 files.
 * Writes are synchronous: a line is on disk before the next one, and nothing is lost on a crash.
 */
export class RotatingLogFile {
  private fd: number;
  private size: number;
  /** Rotations since this sink was opened. */
  rotations = 0;

  constructor(
    readonly path: string,
    private readonly maxBytes: number,
    private readonly keep: number,
  ) {
    this.fd = openSync(path, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
  }

  write(line: string): void {
    const bytes = Buffer.from(`${line}\n`);
    // Rotate before a line that would cross the limit, so no line is split across two files.
    if (this.size > 0 && this.size + bytes.byteLength > this.maxBytes) this.rotate();
    writeSync(this.fd, bytes);
    this.size += bytes.byteLength;
  }

  close(): void {
    closeSync(this.fd);
  }

  private rotate(): void {
    closeSync(this.fd);
    shiftLogFiles(this.path, this.keep);
    this.fd = openSync(this.path, 'a', 0o600);
    this.size = 0;
    this.rotations++;
  }
}
