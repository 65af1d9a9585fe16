// sequenceLengthFeeds: the int32 lengths a graph with fused attention takes, for one step.
import type { Tensor } from 'onnxruntime-common';
import type { OrtModule } from '../platform/ort-engine.js';
import { sequenceLengthNames } from './onnx/fuse-group-query-attention.js';

/** For a step after which the cache holds `total` tokens: seqlens_k [1] = total − 1, total_sequence_length (a scalar) = total. */
export function sequenceLengthFeeds(ort: OrtModule, total: number): Record<string, Tensor> {
  return {
    [sequenceLengthNames.seqlensK]: new ort.Tensor('int32', Int32Array.of(total - 1), [1]),
    [sequenceLengthNames.totalSequenceLength]: new ort.Tensor('int32', Int32Array.of(total), []),
  };
}
