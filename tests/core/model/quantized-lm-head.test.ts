// QuantizedLmHead: the kernel's logits are MatMulInteger → Cast → Mul's float32 values exactly, for any shape and zero points.
import { describe, expect, it } from 'vitest';
import { maxQuantizedLmHeadDepth, QuantizedLmHead, type QuantizedLmHeadWeights } from '../../../runtime/core/model/quantized-lm-head.js';
import { seededRandom } from '../../../runtime/core/generation/seeded-random.js';

/** ONNX's definition, one logit at a time: exact integer sum, then float32 conversion and scaling. */
function naiveLogits(head: QuantizedLmHeadWeights, activations: Uint8Array, scale: number, zeroPoint: number): Float32Array {
  const combined = Math.fround(Math.fround(scale) * Math.fround(head.scale));
  const row = activations.subarray(activations.length - head.depth);
  const weight = (byte: number) => (head.signed ? (byte << 24) >> 24 : byte);
  return Float32Array.from({ length: head.vocabulary }, (_, j) => {
    let sum = 0;
    for (let k = 0; k < head.depth; k++) sum += (row[k] - zeroPoint) * (weight(head.weights[k * head.vocabulary + j]) - head.zeroPoint);
    return Math.fround(Math.fround(sum) * combined);
  });
}

/** Random weight bytes; a signed head's zero point is an int8 value. */
function randomHead(depth: number, vocabulary: number, next: () => number, signed = false): QuantizedLmHeadWeights {
  const zeroPoint = Math.floor(next() * 256) - (signed ? 128 : 0);
  return { weights: Uint8Array.from({ length: depth * vocabulary }, () => Math.floor(next() * 256)), signed, depth, vocabulary, zeroPoint, scale: 0.0123 };
}

describe('QuantizedLmHead', () => {
  it('matches the integer definition bit for bit, uint8 and int8 weights, with depths and vocabularies that are not multiples of 16 and 4', () => {
    const next = seededRandom(7);
    for (const [depth, vocabulary, signed] of [[256, 4096, 0], [256, 4096, 1], [37, 11, 0], [37, 11, 1], [16, 4, 0], [1, 1, 1], [300, 1001, 0]]) {
      const head = randomHead(depth, vocabulary, next, signed === 1);
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
    // [weight value, its zero point, activation, its zero point, signed]
    const cases = [[255, 0, 255, 0, 0], [0, 255, 0, 255, 0], [255, 0, 0, 255, 0], [0, 0, 0, 0, 0], [127, -128, 255, 0, 1], [-128, 127, 255, 0, 1], [-128, 127, 0, 255, 1]];
    for (const [weight, weightZero, activation, activationZero, signed] of cases) {
      const head: QuantizedLmHeadWeights = { weights: new Uint8Array(depth * 8).fill(weight & 0xff), signed: signed === 1, depth, vocabulary: 8, zeroPoint: weightZero, scale: 1 };
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
    expect(QuantizedLmHead.create({ weights: new Uint8Array(10), signed: false, depth: 4, vocabulary: 4, zeroPoint: 0, scale: 1 })).toBeUndefined();
    const depth = maxQuantizedLmHeadDepth + 16;
    expect(QuantizedLmHead.create({ weights: new Uint8Array(depth), signed: false, depth, vocabulary: 1, zeroPoint: 0, scale: 1 })).toBeUndefined();
  });
});
