// argmax: the greedy token of one step's logits (the first index of the largest value), for tests and the bench.
export function argmax(logits: Float32Array): number {
  let best = 0;
  for (let v = 1; v < logits.length; v++) if (logits[v] > logits[best]) best = v;
  return best;
}
