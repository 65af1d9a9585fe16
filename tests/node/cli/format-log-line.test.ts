// formatLogLine and rotateLogFile: readable log lines from JSON objects, and size-based rotation.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLogLine } from '../../../runtime/node/cli/format-log-line.js';
import { rotateLogFile } from '../../../runtime/node/cli/rotate-log.js';

const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

describe('formatLogLine', () => {
  it('shows time, level, message and the other fields', () => {
    const line = JSON.stringify({ time: '2026-01-02T03:04:05.678Z', level: 'warn', msg: 'checkpoint.saved', id: 'checkpoint-1', bytes: 42, note: 'two words' });
    expect(plain(formatLogLine(line))).toBe('03:04:05.678 WARN  checkpoint.saved id=checkpoint-1 bytes=42 note="two words"');
  });

  it('passes lines that are not JSON objects through', () => {
    expect(formatLogLine('plain text')).toBe('plain text');
    expect(formatLogLine('[1,2]')).toBe('[1,2]');
  });
});

describe('rotateLogFile', () => {
  it('shifts files only past the size limit and keeps at most `keep`', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nexusctl-log-'));
    const file = join(dir, 'nexus.log');
    try {
      writeFileSync(file, 'small');
      expect(await rotateLogFile(file, 100, 2)).toBe(false);
      for (const generation of ['a', 'b', 'c']) {
        writeFileSync(file, generation.repeat(200));
        expect(await rotateLogFile(file, 100, 2)).toBe(true);
      }
      expect(existsSync(file)).toBe(false);
      expect(readFileSync(`${file}.1`, 'utf8')).toBe('c'.repeat(200));
      expect(readFileSync(`${file}.2`, 'utf8')).toBe('b'.repeat(200));
      expect(existsSync(`${file}.3`)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
