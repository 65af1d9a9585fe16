// The uncertainty gate measured on held-out words: AUROC, answer rate on known, abstain rate on made-up and rare real words.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { auroc } from '../../../runtime/core/gate/auroc.js';
import { measureConfidence } from '../../../runtime/core/gate/measure-confidence.js';
import { definitionQuestion } from '../../../runtime/core/eval/word-eval-set.js';
import { gateSettingsFor, parseModelRegistry } from '../../../runtime/core/registry/model-registry.js';
import type { ModelDtype } from '../../../runtime/core/model/model-dtype.js';
import { evalSampleSize, evalSet, lexiconModel, spreadSample } from '../../support/lexicon-model.js';

const registry = parseModelRegistry(JSON.parse(readFileSync(fileURLToPath(new URL('../../../models/registry.json', import.meta.url)), 'utf8')));

/**
 * Real English words chosen for being rare (far outside the 12,600 most frequent WordNet lemmas
 * the model learned); never used to tune anything — the threshold comes from the first half of
 * known.jsonl and nonsense.jsonl only (models/calibrate-gate.ts).
 */
const rareRealWords = [
  'defenestration', 'sesquipedalian', 'callipygian', 'pulchritude', 'susurrus', 'lugubrious', 'perspicacious',
  'obstreperous', 'petrichor', 'tintinnabulation', 'crepuscular', 'mellifluous', 'sybarite', 'vituperation',
  'zeugma', 'lachrymose', 'pusillanimous', 'bumptious', 'borborygmus', 'absquatulate', 'cachinnate', 'floccinaucinihilipilification',
];

/** Held-out: the second half of each eval set (calibration used the first half). */
function heldOut(name: 'known' | 'nonsense', size: number): string[] {
  const entries = evalSet(name);
  return spreadSample(entries.slice(entries.length / 2), size).map((entry) => definitionQuestion(entry.word));
}

describe('uncertainty gate on lexicon-tiny (held-out halves of the eval sets)', () => {
  for (const [dtype, ciSize] of [['q8', 120], ['q4', 60]] as const) {
    it(`${dtype}: AUROC ≥ 0.97, ≥ 95% known answered, ≥ 95% made-up abstained, rare real words abstained`, async () => {
      const model = await lexiconModel(dtype as ModelDtype);
      const { settings, calibrated } = gateSettingsFor(registry.find((entry) => entry.id === 'lexicon-tiny'), dtype);
      expect(calibrated).toBe(true);
      const size = evalSampleSize(ciSize);
      const score = async (questions: string[]) => {
        const scores: number[] = [];
        for (const question of questions) scores.push(await measureConfidence(model, [{ role: 'user', content: question }], settings));
        return scores;
      };
      const known = await score(heldOut('known', size));
      const madeUp = await score(heldOut('nonsense', size));
      const rare = await score(rareRealWords.map(definitionQuestion));
      const answerRate = known.filter((s) => s >= settings.threshold).length / known.length;
      const abstainRate = madeUp.filter((s) => s < settings.threshold).length / madeUp.length;
      const rareAbstainRate = rare.filter((s) => s < settings.threshold).length / rare.length;
      const area = auroc(known, madeUp);
      console.log(
        `[gate] ${dtype} threshold ${settings.threshold} (score ${settings.score}, k ${settings.k}) on ${known.length}+${madeUp.length} held-out: ` +
          `AUROC ${area.toFixed(4)}, known answered ${(answerRate * 100).toFixed(1)}%, made-up abstained ${(abstainRate * 100).toFixed(1)}%, ` +
          `rare real words abstained ${(rareAbstainRate * 100).toFixed(1)}% (${rare.length}), AUROC known vs rare ${auroc(known, rare).toFixed(4)}`,
      );
      expect(area).toBeGreaterThanOrEqual(0.97);
      expect(answerRate).toBeGreaterThanOrEqual(0.95);
      expect(abstainRate).toBeGreaterThanOrEqual(0.95);
      expect(rareAbstainRate).toBeGreaterThanOrEqual(0.9);
    }, 600_000);
  }
});
