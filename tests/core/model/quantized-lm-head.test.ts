// QuantizedLmHead: the kernel's logits are MatMulInteger → Cast → Mul's float32 values exactly, for any shape and zero points.
import { describe, expect, it } from 'vitest';
import { maxQuantizedLmHeadDepth, QuantizedLmHead, type QuantizedLmHeadWeights } from '../../../runtime/core/model/quantized-lm-head.js';
import { seededRandom } from '../../../runtime/core/generation/seeded-random.js';

/** ONNX's definition, one logit at a time: exact integer sum, then float32 conversion and scaling. */
function naiveLogits(head: QuantizedLmHeadWeights, activations: Uint8Array, scale: number, zeroPoint: number): Float32Array {
  const combined = Math.fround(Math.fround(scale) * Math.fround(head.scale));
  const row = activations.subarray(activations.length - head.depth);
  return Float32Array.from({ length: head.vocabulary }, (_, j) => {
    let sum = 0;
    for (let k = 0; k < head.depth; k++) sum += (row[k] - zeroPoint) * (head.weights[k * head.vocabulary + j] - head.zeroPoint);
    return Math.fround(Math.fround(sum) * combined);
  });
}

function randomHead(depth: number, vocabulary: number, next: () => number, zeroPoint = Math.floor(next() * 256)): QuantizedLmHeadWeights {
  return { weights: Uint8Array.from({ length: depth * vocabulary }, () => Math.floor(next() * 256)), depth, vocabulary, zeroPoint, scale: 0.0123 };
}

describe('QuantizedLmHead', () => {
  it('matches the integer definition bit for bit, with depths and vocabularies that are not multiples of 16 and 4', () => {
    const next = seededRandom(7);
    for (const [depth, vocabulary] of [[256, 4096], [37, 11], [16, 4], [1, 1], [300, 1001]]) {
      const head = randomHead(depth, vocabulary, next);
      const kernel = QuantizedLmHead.create(head)!;
      expect(kernel).toBeDefined();
      for (let trial = 0; trial < 3; trial++) {
        const activations = Uint8Array.from({ length: depth }, () => Math.floor(next() * 256));
        const zeroPoint = Math.floor(next() * 256);
        expect(kernel.logits(activations, 0.0456, zeroPoint)).toEqual(naiveLogits(head, activations, 0.0456, zeroPoint));
      }
    }
  });

  it('is exact at the extremes: activations and weights 0 or 255 against zero points 255 or 0 (the largest sums)', () => {
    const depth = 1024;
    for (const [weight, weightZero, activation, activationZero] of [[255, 0, 255, 0], [0, 255, 0, 255], [255, 0, 0, 255], [0, 0, 0, 0]]) {
      const head: QuantizedLmHeadWeights = { weights: new Uint8Array(depth * 8).fill(weight), depth, vocabulary: 8, zeroPoint: weightZero, scale: 1 };
      const activations = new Uint8Array(depth).fill(activation);
      const logits = QuantizedLmHead.create(head)!.logits(activations, 1, activationZero);
      expect(logits).toEqual(naiveLogits(head, activations, 1, activationZero));
      expect(logits[0]).toBe((activation - activationZero) * (weight - weightZero) * depth);
    }
  });

  it('reads the last row of a multi-position input, and gives a new array each call', () => {
    const next = seededRandom(11);
    const head = randomHead(32, 20, next);
    const kernel = QuantizedLmHead.create(head)!;
    const rows = Uint8Array.from({ length: 3 * 32 }, () => Math.floor(next() * 256));
    const first = kernel.logits(rows, 0.5, 3);
    expect(first).toEqual(naiveLogits(head, rows.subarray(64), 0.5, 3));
    const second = kernel.logits(rows.subarray(0, 32), 0.5, 3);
    expect(second).not.toBe(first);
    expect(first).toEqual(naiveLogits(head, rows.subarray(64), 0.5, 3));
    expect(kernel).toMatchObject({ depth: 32, vocabulary: 20 });
  });

  it('declines weights that do not fit their shape, and heads deeper than its int32 sums allow', () => {
    expect(QuantizedLmHead.create({ weights: new Uint8Array(10), depth: 4, vocabulary: 4, zeroPoint: 0, scale: 1 })).toBeUndefined();
    const depth = maxQuantizedLmHeadDepth + 16;
    expect(QuantizedLmHead.create({ weights: new Uint8Array(depth), depth, vocabulary: 1, zeroPoint: 0, scale: 1 })).toBeUndefined();
  });
});
