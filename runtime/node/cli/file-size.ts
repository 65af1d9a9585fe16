// fileSize: a file's size now, 0 when there is none (yet).
import { stat } from 'node:fs/promises';

export function fileSize(file: string): Promise<number> {
  return stat(file).then((info) => info.size, () => 0);
}
