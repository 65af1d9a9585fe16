// One progress line for a model's files fetched at once: summed bytes, what is still pending, and ready only when all are.
import { describe, expect, it } from 'vitest';
import { DownloadProgress } from '../../pwa/src/ui/download-progress.js';

describe('DownloadProgress', () => {
  it('sums files downloading at the same time and names the one left', () => {
    const progress = new DownloadProgress();
    expect(progress.update('tokenizer.json', 100_000, 400_000)).toMatchObject({ loaded: 100_000, total: 400_000, done: false, text: 'Downloading tokenizer.json: 25% (0.1 MB of 0.4 MB)' });
    expect(progress.update('onnx/model.onnx', 1_000_000, 8_000_000)).toMatchObject({ loaded: 1_100_000, total: 8_400_000, done: false, text: 'Downloading 2 files: 13% (1.1 MB of 8.4 MB)' });
    // The small file finishing does not say the model is ready while the large one is still coming.
    expect(progress.update('tokenizer.json', 400_000, 400_000)).toMatchObject({ done: false, text: 'Downloading onnx/model.onnx: 16% (1.4 MB of 8.4 MB)' });
    expect(progress.update('onnx/model.onnx', 8_000_000, 8_000_000)).toEqual({ loaded: 8_400_000, total: 8_400_000, done: true, text: 'Model ready: 2 files, 8.4 MB' });
  });

  it('is ready at once for files read from the cache', () => {
    const progress = new DownloadProgress();
    expect(progress.update('config.json', 954, 954).text).toBe('Model ready: 1 file, 0.0 MB');
    expect(progress.update('tokenizer.json', 263_906, 263_906)).toMatchObject({ loaded: 264_860, total: 264_860, done: true, text: 'Model ready: 2 files, 0.3 MB' });
  });
});
