// lexiconGreedyLogits: each step's last-position logits of lexicon-tiny's prompt on a session made from (rewritten) graph bytes.
import { readFileSync } from 'node:fs';
import type { InferenceSession } from 'onnxruntime-common';
import { buildPrompt } from '../../runtime/core/generation/prompt-builder.js';
import { parseModelConfig } from '../../runtime/core/model/model-config.js';
import { sessionOptionsFor } from '../../runtime/core/model/model-for-engine.js';
import type { ExternalDataFile } from '../../runtime/core/model/onnx/onnx-graph.js';
import type { OrtEngine } from '../../runtime/core/platform/ort-engine.js';
import { greedySessionSteps } from './greedy-session-steps.js';
import { lexiconDirectory, lexiconModel } from './lexicon-model.js';

const config = parseModelConfig(JSON.parse(readFileSync(`${lexiconDirectory}config.json`, 'utf8')));

/** The last row of a run's `logits` output (length = vocabulary size), copied. */
export function lastLogitsRow(outputs: InferenceSession.OnnxValueMapType): Float32Array {
  const data = outputs.logits.data as Float32Array;
  return data.slice(data.length - config.vocabSize);
}

/**
 * Prefill of "What does harbor mean?" then `steps` greedy steps on a session created from `bytes`
 * (with `externalData`, as the core creates it); `logitsOf` turns each run's outputs into that
 * step's last-position logits.
 */
export async function lexiconGreedyLogits(
  engine: OrtEngine,
  bytes: Uint8Array,
  steps: number,
  logitsOf: (outputs: InferenceSession.OnnxValueMapType) => Float32Array = lastLogitsRow,
  externalData?: ExternalDataFile[],
): Promise<{ rows: Float32Array[]; outputNames: readonly string[] }> {
  const session = await engine.ort.InferenceSession.create(bytes, sessionOptionsFor(engine, externalData));
  const { tokenizer, contextLength } = await lexiconModel('q8');
  const promptIds = buildPrompt(tokenizer, [{ role: 'user', content: 'What does harbor mean?' }], { contextLength, reserveForAnswer: 16 }).ids;
  const rows: Float32Array[] = [];
  try {
    await greedySessionSteps(engine, session, config, promptIds, steps, (outputs) => {
      rows.push(logitsOf(outputs));
      return rows[rows.length - 1];
    });
    return { rows, outputNames: session.outputNames };
  } finally {
    await session.release();
  }
}
