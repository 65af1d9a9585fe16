// greedySessionSteps: a prompt's prefill then greedy steps straight on an ORT decoder session (for tests of graph rewrites).
import type { InferenceSession, Tensor } from 'onnxruntime-common';
import type { ModelConfig } from '../../runtime/core/model/model-config.js';
import type { OrtEngine } from '../../runtime/core/platform/ort-engine.js';
import { sessionSequenceLengthFeeds } from './session-sequence-length-feeds.js';
import { argmax } from './argmax.js';

/**
 * Runs the prefill of `promptIds` then `steps` greedy steps on `session`, carrying the KV cache;
 * `lastLogits` sees each run's outputs and returns that step's last-position logits.
 */
export async function greedySessionSteps(
  engine: OrtEngine,
  session: InferenceSession,
  config: ModelConfig,
  promptIds: number[],
  steps: number,
  lastLogits: (outputs: InferenceSession.OnnxValueMapType) => Float32Array,
): Promise<void> {
  const { ort } = engine;
  const empty = new ort.Tensor('float32', new Float32Array(0), [1, config.numKeyValueHeads, 0, config.headDim]);
  let past: Tensor[] = [];
  let input = promptIds;
  let length = 0;
  for (let step = 0; step <= steps; step++) {
    const total = length + input.length;
    const feeds: Record<string, Tensor> = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from(input, BigInt), [1, input.length]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
      position_ids: new ort.Tensor('int64', BigInt64Array.from(input, (_, i) => BigInt(length + i)), [1, input.length]),
      ...sessionSequenceLengthFeeds(engine, session, total),
    };
    for (let layer = 0; layer < config.numLayers; layer++) {
      feeds[`past_key_values.${layer}.key`] = past[2 * layer] ?? empty;
      feeds[`past_key_values.${layer}.value`] = past[2 * layer + 1] ?? empty;
    }
    const outputs = await session.run(feeds);
    const last = lastLogits(outputs);
    past = Array.from({ length: config.numLayers }, (_, layer) => [outputs[`present.${layer}.key`], outputs[`present.${layer}.value`]]).flat();
    length = total;
    input = [argmax(last)];
  }
}
