// DecoderSequence: the token history and KV cache of one generation, stepped through the model.
import type { Tensor } from 'onnxruntime-common';
import type { CausalLM } from './causal-lm.js';
import { sequenceLengthFeeds } from './sequence-length-feeds.js';

/** Feeds new tokens to the model, carrying the KV cache from step to step. */
export class DecoderSequence {
  private past: Tensor[] | undefined;
  private pastLength = 0;
  private ones = new BigInt64Array(0);

  constructor(private readonly model: CausalLM) {}

  /** Tokens already in the cache. */
  get length(): number {
    return this.pastLength;
  }

  /**
   * Appends `ids` (the whole prompt on the first step, one token after that), runs the model and
   * returns the logits of the last position (length = vocabulary size).
   */
  async step(ids: readonly number[]): Promise<Float32Array> {
    const { ort } = this.model.engine;
    const { io, config } = this.model;
    const total = this.pastLength + ids.length;
    const inputIds = new BigInt64Array(ids.length);
    for (let i = 0; i < ids.length; i++) inputIds[i] = BigInt(ids[i]);
    const feeds: Record<string, Tensor> = { input_ids: new ort.Tensor('int64', inputIds, [1, ids.length]) };
    if (io.hasAttentionMask) feeds.attention_mask = new ort.Tensor('int64', this.onesOfLength(total), [1, total]);
    if (io.hasPositionIds) {
      const positions = new BigInt64Array(ids.length);
      for (let i = 0; i < ids.length; i++) positions[i] = BigInt(this.pastLength + i);
      feeds.position_ids = new ort.Tensor('int64', positions, [1, ids.length]);
    }
    if (io.hasSequenceLengths) Object.assign(feeds, sequenceLengthFeeds(ort, total));
    if (io.logitsToKeepName) feeds[io.logitsToKeepName] = new ort.Tensor('int64', BigInt64Array.of(1n), []);
    if (io.hasUseCacheBranch) feeds.use_cache_branch = new ort.Tensor('bool', [this.pastLength > 0], [1]);
    const empty = this.past ? undefined : this.emptyPast([1, config.numKeyValueHeads, 0, config.headDim]);
    for (let layer = 0; layer < config.numLayers; layer++) {
      feeds[io.pastKeyNames[layer]] = this.past?.[2 * layer] ?? empty!;
      feeds[io.pastValueNames[layer]] = this.past?.[2 * layer + 1] ?? empty!;
    }

    const outputs = await this.model.run(feeds);
    this.disposePast();
    this.past = [];
    for (let layer = 0; layer < config.numLayers; layer++) {
      this.past.push(outputs[io.presentKeyNames[layer]] as Tensor, outputs[io.presentValueNames[layer]] as Tensor);
    }
    this.pastLength = total;

    return this.model.logitsOf(outputs);
  }

  /**
   * An attention mask of `length` ones. The ones live in one buffer that grows by doubling; the
   * mask is a view of its start (byte offset 0), so no step allocates or fills a new mask.
   */
  private onesOfLength(length: number): BigInt64Array {
    if (this.ones.length < length) this.ones = new BigInt64Array(Math.max(length, 2 * this.ones.length)).fill(1n);
    return this.ones.subarray(0, length);
  }

  /** Frees the cache; the sequence can be stepped again from an empty past. */
  dispose(): void {
    this.disposePast();
    this.past = undefined;
    this.pastLength = 0;
  }

  private emptyPast(dims: number[]): Tensor {
    const { ort } = this.model.engine;
    const type = this.model.io.cacheType;
    return type === 'float16' ? new ort.Tensor('float16', new Uint16Array(0), dims) : new ort.Tensor('float32', new Float32Array(0), dims);
  }

  private disposePast(): void {
    for (const tensor of this.past ?? []) tensor.dispose();
  }
}
