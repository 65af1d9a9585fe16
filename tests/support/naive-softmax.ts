// naiveSoftmax: the obviously-correct float64 softmax statistics the logit-summary tests compare against.

/** Softmax over float64 copies of the logits: probabilities, entropy, top-two margin, log-normalizer, first top index. */
export function naiveSoftmax(logits: Float32Array) {
  const values = Array.from(logits);
  const max = Math.max(...values);
  const exps = values.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  const probabilities = exps.map((e) => e / sum);
  const entropy = -probabilities.reduce((acc, p) => acc + (p > 0 ? p * Math.log(p) : 0), 0);
  const sorted = [...probabilities].sort((a, b) => b - a);
  const margin = sorted[0] - (sorted[1] ?? 0);
  const top1Id = values.indexOf(max);
  return { probabilities, entropy, margin, logNormalizer: max + Math.log(sum), top1Id };
}
