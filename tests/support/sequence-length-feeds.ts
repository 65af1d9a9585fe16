// sequenceLengthFeeds: the int32 lengths a graph with fused attention takes, for loops that feed a session by hand.
import type { InferenceSession, Tensor } from 'onnxruntime-common';
import { sequenceLengthNames } from '../../runtime/core/model/onnx/fuse-group-query-attention.js';
import type { OrtEngine } from '../../runtime/core/platform/ort-engine.js';

/** seqlens_k and total_sequence_length for a step that ends with `total` tokens, when `session` takes them. */
export function sequenceLengthFeeds(engine: OrtEngine, session: InferenceSession, total: number): Record<string, Tensor> {
  if (!session.inputNames.includes(sequenceLengthNames.seqlensK)) return {};
  return {
    [sequenceLengthNames.seqlensK]: new engine.ort.Tensor('int32', Int32Array.of(total - 1), [1]),
    [sequenceLengthNames.totalSequenceLength]: new engine.ort.Tensor('int32', Int32Array.of(total), []),
  };
}
