// sessionSequenceLengthFeeds: the core's sequenceLengthFeeds when a session takes them, for loops that feed a session by hand.
import type { InferenceSession, Tensor } from 'onnxruntime-common';
import { sequenceLengthNames } from '../../runtime/core/model/onnx/fuse-group-query-attention.js';
import { sequenceLengthFeeds } from '../../runtime/core/model/sequence-length-feeds.js';
import type { OrtEngine } from '../../runtime/core/platform/ort-engine.js';

/** seqlens_k and total_sequence_length for a step that ends with `total` tokens, when `session` takes them. */
export function sessionSequenceLengthFeeds(engine: OrtEngine, session: InferenceSession, total: number): Record<string, Tensor> {
  return session.inputNames.includes(sequenceLengthNames.seqlensK) ? sequenceLengthFeeds(engine.ort, total) : {};
}
