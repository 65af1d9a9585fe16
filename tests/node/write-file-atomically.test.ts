// writeFileAtomically on a real file system: the new bytes whole, or what was there before and no temporary file.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomically } from '../../runtime/node/write-file-atomically.js';

describe('writeFileAtomically', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'nexus-atomic-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces a file with the new bytes and the mode asked for, leaving no temporary file', async () => {
    const file = join(dir, 'keys.json');
    writeFileSync(file, 'old');
    await writeFileAtomically(file, new Uint8Array([1, 2, 3]), { mode: 0o600 });
    expect([...readFileSync(file)]).toEqual([1, 2, 3]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['keys.json']);
  });

  it('when the rename fails, leaves what was there and removes its temporary file', async () => {
    const inTheWay = join(dir, 'out');
    mkdirSync(join(inTheWay, 'inside'), { recursive: true });
    await expect(writeFileAtomically(inTheWay, 'new')).rejects.toMatchObject({ code: expect.stringMatching(/^(EISDIR|ENOTEMPTY|EEXIST)$/) });
    expect(readdirSync(dir)).toEqual(['out']);
    expect(readdirSync(inTheWay)).toEqual(['inside']);
  });
});
