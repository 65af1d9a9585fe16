// TokenSampler: picks the next token (greedy, temperature, top-k, top-p, repetition penalty), seeded.
import type { LogitSummary } from './token-stats.js';
import { validateSamplingOptions, type SamplingOptions } from './sampling-options.js';
import { randomSeed, seededRandom } from './seeded-random.js';

/** Tokens this far (in nats, after temperature) below the best carry < 1e-9 of the mass; skipping them avoids sorting the vocabulary. */
const negligibleLogitGap = 21;

export class TokenSampler {
  private readonly temperature: number;
  private readonly topK: number;
  private readonly topP: number;
  private readonly repetitionPenalty: number;
  /** Made on the first sampled token: greedy answers never draw a number. */
  private random: (() => number) | undefined;
  /** The seed in use (reported so an unseeded answer can be reproduced). */
  readonly seed: number;

  constructor(options: SamplingOptions = {}) {
    validateSamplingOptions(options);
    this.temperature = options.temperature ?? 0;
    this.topK = options.topK ?? 0;
    this.topP = options.topP ?? 1;
    this.repetitionPenalty = options.repetitionPenalty ?? 1;
    this.seed = options.seed ?? randomSeed();
  }

  get isGreedy(): boolean {
    return this.temperature === 0;
  }

  /** The next token id given the last position's logits and the ids so far (prompt + answer). */
  choose(logits: Float32Array, summary: LogitSummary, history: readonly number[]): number {
    if (this.isGreedy && this.repetitionPenalty === 1) return summary.top1Id;
    const scores = this.repetitionPenalty === 1 ? logits : this.penalize(logits, history);
    if (this.isGreedy) return argmax(scores);
    return this.sample(scores);
  }

  private penalize(logits: Float32Array, history: readonly number[]): Float32Array {
    const scores = logits.slice();
    for (const id of new Set(history)) {
      const value = scores[id];
      scores[id] = value > 0 ? value / this.repetitionPenalty : value * this.repetitionPenalty;
    }
    return scores;
  }

  private sample(scores: Float32Array): number {
    const best = scores[argmax(scores)];
    const floor = best - negligibleLogitGap * this.temperature;
    const candidates: number[] = [];
    for (let i = 0; i < scores.length; i++) if (scores[i] >= floor) candidates.push(i);
    candidates.sort((a, b) => scores[b] - scores[a] || a - b);
    const kept = this.topK > 0 ? candidates.slice(0, this.topK) : candidates;

    const weights = kept.map((id) => Math.exp((scores[id] - best) / this.temperature));
    const total = weights.reduce((sum, w) => sum + w, 0);
    let cut = kept.length;
    if (this.topP < 1) {
      let cumulative = 0;
      for (let i = 0; i < kept.length; i++) {
        cumulative += weights[i] / total;
        if (cumulative >= this.topP) {
          cut = i + 1;
          break;
        }
      }
    }
    const mass = weights.slice(0, cut).reduce((sum, w) => sum + w, 0);
    this.random ??= seededRandom(this.seed);
    let target = this.random() * mass;
    for (let i = 0; i < cut; i++) {
      target -= weights[i];
      if (target < 0) return kept[i];
    }
    return kept[cut - 1];
  }
}

function argmax(values: Float32Array): number {
  let bestId = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[bestId]) bestId = i;
  return bestId;
}
