// FsModelSource: reads a model directory from disk for the core.
import { readFile, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { NexusError } from '../core/nexus-error.js';
import type { ModelSource } from '../core/platform/model-source.js';

/** A ModelSource over a directory; paths may not escape it. */
export class FsModelSource implements ModelSource {
  readonly location: string;

  constructor(directory: string) {
    this.location = resolve(directory);
  }

  async readBytes(path: string): Promise<Uint8Array> {
    const full = this.resolvePath(path);
    try {
      const buffer = await readFile(full);
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NexusError('MODEL_NOT_FOUND', { path: full });
      throw new NexusError('MODEL_CORRUPT', { path: full, reason: (error as Error).message }, { cause: error });
    }
  }

  async exists(path: string): Promise<boolean> {
    try {
      return (await stat(this.resolvePath(path))).isFile();
    } catch {
      return false;
    }
  }

  private resolvePath(path: string): string {
    const full = resolve(join(this.location, path));
    if (!full.startsWith(this.location + sep)) throw new NexusError('MODEL_NOT_FOUND', { path });
    return full;
  }
}
