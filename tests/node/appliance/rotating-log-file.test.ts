// RotatingLogFile on real files: rotation by size at line boundaries, keep honoured, appends to an existing file.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RotatingLogFile } from '../../../runtime/node/appliance/rotating-log-file.js';

const dir = mkdtempSync(join(tmpdir(), 'nexus-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('RotatingLogFile', () => {
  it('rotates before a line would cross maxBytes, keeps `keep` old files, and loses only what rotated past them', () => {
    const file = join(dir, 'a.log');
    const sink = new RotatingLogFile(file, 100, 2);
    const lines = Array.from({ length: 20 }, (_, i) => JSON.stringify({ n: i, pad: 'x'.repeat(20) }));
    for (const line of lines) sink.write(line);
    sink.close();
    expect(sink.rotations).toBeGreaterThanOrEqual(4);
    expect(existsSync(`${file}.3`)).toBe(false);
    const kept = [`${file}.2`, `${file}.1`, file].flatMap((path) => readFileSync(path, 'utf8').split('\n').filter(Boolean));
    // Each file holds whole lines and stays within the limit; together they are the newest lines, in order.
    for (const path of [`${file}.2`, `${file}.1`, file]) expect(readFileSync(path).byteLength).toBeLessThanOrEqual(100);
    expect(kept).toEqual(lines.slice(lines.length - kept.length));
  });

  it('appends to an existing log and counts its size', () => {
    const file = join(dir, 'b.log');
    writeFileSync(file, `${'y'.repeat(90)}\n`);
    const sink = new RotatingLogFile(file, 100, 1);
    sink.write('{"first":true}');
    sink.close();
    expect(readFileSync(`${file}.1`, 'utf8')).toBe(`${'y'.repeat(90)}\n`);
    expect(readFileSync(file, 'utf8')).toBe('{"first":true}\n');
  });
});
