// SeededRandom: a small deterministic PRNG (sfc32 seeded by splitmix32), identical in every JS engine.

/** Returns a function giving uniform floats in [0, 1); the same seed gives the same sequence everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  const splitmix = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

/**
 * A fresh seed for an answer that names none. A sampling seed needs no secrecy: Math.random takes
 * 0.06 µs, crypto.getRandomValues 5 µs warm and more at the start of an answer, where every call
 * counts towards the time to first token.
 */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 32);
}
