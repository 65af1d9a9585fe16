// The smallest greedy loop on an ORT session: the ceiling the core is measured against (raw leg, and paired in the core leg).
import type { InferenceSession, Tensor } from 'onnxruntime-common';
import type { OrtEngine } from '../../../runtime/core/platform/ort-engine.js';
import type { RunTiming } from '../leg-result.js';
import { readFileSync } from 'node:fs';
import { parseModelConfig } from '../../../runtime/core/model/model-config.js';
import { detachedHeadLogits, modelForEngine, sessionOptionsFor, type PreparedModel } from '../../../runtime/core/model/model-for-engine.js';
import { benchModelDirectory, benchModelFile } from './bench-model.js';
import { sessionSequenceLengthFeeds } from '../../support/session-sequence-length-feeds.js';

/** lexicon-tiny's shape (config.json): the raw loop hard-codes it, as a hand-written loop would. */
const layers = 8;
const kvHeads = 4;
const headDim = 32;

/** A session for the raw loop, and how it gets the last position's logits from a run's outputs. */
export interface RawSession {
  session: InferenceSession;
  lastLogits(outputs: InferenceSession.OnnxValueMapType): Float32Array;
}

/** The `logits` output's last row, in place. */
function lastRowOfLogits(outputs: InferenceSession.OnnxValueMapType): Float32Array {
  const logits = outputs.logits.data as Float32Array;
  return logits.subarray(logits.length - outputs.logits.dims[2]);
}

/** A session on `model` (a path or bytes) created the way the core creates its own. */
function sessionLikeTheCore(engine: OrtEngine, model: string | Uint8Array, externalData?: PreparedModel['externalData']): Promise<InferenceSession> {
  const options = sessionOptionsFor(engine, externalData);
  return typeof model === 'string' ? engine.ort.InferenceSession.create(model, options) : engine.ort.InferenceSession.create(model, options);
}

/** A session on the model file as it is. */
export async function createRawSession(engine: OrtEngine, dtype: 'q4' | 'q8' | 'fp32'): Promise<RawSession> {
  return { session: await sessionLikeTheCore(engine, benchModelFile(dtype)), lastLogits: lastRowOfLogits };
}

/**
 * A session on the graph the core prepares from the same file (attention fused, LM head sliced,
 * on WASM the 8-bit head in our kernel and 4-bit weights requantized to 8 bits): the raw loop on it measures the
 * core's own loop, apart from the graph.
 */
export async function createPreparedRawSession(engine: OrtEngine, dtype: 'q4' | 'q8' | 'fp32'): Promise<RawSession> {
  const config = parseModelConfig(JSON.parse(readFileSync(`${benchModelDirectory}config.json`, 'utf8')));
  const file = readFileSync(benchModelFile(dtype));
  const { bytes, detachedHead, externalData } = modelForEngine(engine, config, new Uint8Array(file.buffer, file.byteOffset, file.byteLength));
  const session = await sessionLikeTheCore(engine, bytes, externalData);
  return { session, lastLogits: detachedHead ? (outputs) => detachedHeadLogits(detachedHead, outputs) : lastRowOfLogits };
}

/** Greedy decoding of `tokens` tokens after `promptIds`, with a fresh KV cache; `onFirstToken` fires after the prefill. */
export async function rawGreedyLoop(engine: OrtEngine, { session, lastLogits }: RawSession, promptIds: number[], tokens: number, onFirstToken?: () => void): Promise<RunTiming> {
  const { Tensor: OrtTensor } = engine.ort;
  const t0 = performance.now();
  let past: Tensor[] = [];
  let input = promptIds;
  let length = 0;
  let ttftMs = 0;
  let prefillMs = 0;
  for (let step = 0; step < tokens; step++) {
    const stepStart = performance.now();
    const total = length + input.length;
    const feeds: Record<string, Tensor> = {
      input_ids: new OrtTensor('int64', BigInt64Array.from(input, BigInt), [1, input.length]),
      attention_mask: new OrtTensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
      position_ids: new OrtTensor('int64', BigInt64Array.from({ length: input.length }, (_, i) => BigInt(length + i)), [1, input.length]),
      ...sessionSequenceLengthFeeds(engine, session, total),
    };
    for (let l = 0; l < layers; l++) {
      feeds[`past_key_values.${l}.key`] = past[2 * l] ?? new OrtTensor('float32', new Float32Array(0), [1, kvHeads, 0, headDim]);
      feeds[`past_key_values.${l}.value`] = past[2 * l + 1] ?? new OrtTensor('float32', new Float32Array(0), [1, kvHeads, 0, headDim]);
    }
    const out = await session.run(feeds);
    past = [];
    for (let l = 0; l < layers; l++) past.push(out[`present.${l}.key`] as Tensor, out[`present.${l}.value`] as Tensor);
    const logits = lastLogits(out);
    let best = 0;
    for (let v = 1; v < logits.length; v++) if (logits[v] > logits[best]) best = v;
    length = total;
    input = [best];
    if (step === 0) {
      prefillMs = performance.now() - stepStart;
      ttftMs = performance.now() - t0;
      onFirstToken?.();
    }
  }
  return { ttftMs, prefillMs, decodeMs: performance.now() - t0 - ttftMs, promptTokens: promptIds.length, newTokens: tokens };
}
