// SessionIo: the input/output names of a decoder session, discovered from the session, not assumed.
import type { InferenceSession } from 'onnxruntime-common';
import { NexusError } from '../nexus-error.js';
import { sequenceLengthNames } from './onnx/fuse-group-query-attention.js';

export interface SessionIo {
  pastKeyNames: string[];
  pastValueNames: string[];
  presentKeyNames: string[];
  presentValueNames: string[];
  hasAttentionMask: boolean;
  hasPositionIds: boolean;
  /** GroupQueryAttention's int32 seqlens_k and total_sequence_length (a graph the core fused). */
  hasSequenceLengths: boolean;
  /** Name of the "keep only the last N logits" input, when the export has one. */
  logitsToKeepName?: string;
  /** Merged-decoder exports take a boolean saying whether the past is used. */
  hasUseCacheBranch: boolean;
  /** Element type of the KV cache (float32, or float16 for fp16 exports). */
  cacheType: 'float32' | 'float16';
}

/** The KV cache outputs of an Optimum decoder export with `numLayers` layers, keys then values. */
export function cacheOutputNames(numLayers: number): { keys: string[]; values: string[] } {
  const layers = [...Array(numLayers).keys()];
  return { keys: layers.map((i) => `present.${i}.key`), values: layers.map((i) => `present.${i}.value`) };
}

/**
 * Reads the IO layout of an Optimum decoder export; `numLayers` comes from config.json.
 * `logitOutputs`: what the session outputs for the logits (`logits`, or a detached head's inputs).
 */
export function discoverSessionIo(session: InferenceSession, numLayers: number, modelFile: string, logitOutputs: readonly string[] = ['logits']): SessionIo {
  const inputs = new Set(session.inputNames);
  const outputs = new Set(session.outputNames);
  const layers = [...Array(numLayers).keys()];
  const cache = cacheOutputNames(numLayers);
  const io: SessionIo = {
    pastKeyNames: layers.map((i) => `past_key_values.${i}.key`),
    pastValueNames: layers.map((i) => `past_key_values.${i}.value`),
    presentKeyNames: cache.keys,
    presentValueNames: cache.values,
    hasAttentionMask: inputs.has('attention_mask'),
    hasPositionIds: inputs.has('position_ids'),
    hasSequenceLengths: inputs.has(sequenceLengthNames.seqlensK) && inputs.has(sequenceLengthNames.totalSequenceLength),
    logitsToKeepName: ['num_logits_to_keep', 'logits_to_keep'].find((name) => inputs.has(name)),
    hasUseCacheBranch: inputs.has('use_cache_branch'),
    cacheType: 'float32',
  };
  const missing = [
    ...['input_ids', ...io.pastKeyNames, ...io.pastValueNames].filter((name) => !inputs.has(name)),
    ...[...logitOutputs, ...io.presentKeyNames, ...io.presentValueNames].filter((name) => !outputs.has(name)),
  ];
  if (missing.length > 0) {
    throw new NexusError('MODEL_CONFIG_INVALID', {
      reason: `${modelFile} does not have the inputs/outputs config.json implies (${numLayers} layers); missing ${missing.slice(0, 4).join(', ')}`,
    });
  }
  const metadata = (session as { inputMetadata?: readonly { name: string; isTensor: boolean; type?: string }[] }).inputMetadata;
  const pastType = metadata?.find((entry) => entry.name === io.pastKeyNames[0])?.type;
  if (pastType === 'float16') io.cacheType = 'float16';
  return io;
}
