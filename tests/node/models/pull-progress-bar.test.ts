// The pull progress bar (cli-progress) draws percent, bytes, speed, ETA and file; byte and duration formats.
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { createPullProgressBar } from '../../../runtime/node/models/pull-progress-bar.js';
import { formatBytes, formatDuration } from '../../../runtime/node/models/format-bytes.js';

describe('createPullProgressBar', () => {
  it('renders the whole pull with speed and ETA, ending at 100%', async () => {
    const stream = new PassThrough();
    let output = '';
    stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const bar = createPullProgressBar({ stream, noTTYOutput: true, notTTYSchedule: 5 });
    const total = 10_000_000;
    for (const received of [1_000_000, 4_000_000, 10_000_000]) {
      bar.onProgress({ file: 'onnx/model_q4.onnx', receivedBytes: received, totalBytes: total, bytesPerSecond: 2_500_000, etaSeconds: (total - received) / 2_500_000, overallReceived: received, overallTotal: total });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    bar.stop();
    expect(output).toContain('100%');
    expect(output).toContain('10.0 MB / 10.0 MB');
    expect(output).toContain('2.5 MB/s');
    expect(output).toContain('ETA 0s');
    expect(output).toContain('onnx/model_q4.onnx');
  });
});

describe('formatBytes / formatDuration', () => {
  it('formats sizes in decimal units and durations compactly', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(8_353_613)).toBe('8.4 MB');
    expect(formatBytes(1_500_000_000)).toBe('1.5 GB');
    expect(formatDuration(undefined)).toBe('--');
    expect(formatDuration(42.4)).toBe('42s');
    expect(formatDuration(125)).toBe('2m05s');
    expect(formatDuration(3720)).toBe('1h02m');
  });
});
