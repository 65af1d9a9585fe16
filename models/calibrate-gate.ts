// Maintainer script: calibrates lexicon-tiny's default gate threshold per dtype and stores it in registry.json.
// Usage: npx tsx models/calibrate-gate.ts q8|q4
// Calibration uses the FIRST half of each eval set only; tests measure on the second half.
import { readFile, writeFile } from 'node:fs/promises';
import { loadModelDirectory } from '../runtime/node/load-model-directory.js';
import { GateCalibration } from '../runtime/core/gate/gate-calibration.js';
import { calibrateGate } from '../runtime/core/gate/calibrate-gate.js';
import { defaultGateSettings } from '../runtime/core/gate/gate-settings.js';
import { definitionQuestion, parseWordEvalSet } from '../runtime/core/eval/word-eval-set.js';
import { isModelDtype } from '../runtime/core/model/model-dtype.js';

const dtype = process.argv[2] ?? 'q8';
if (!isModelDtype(dtype)) throw new Error(`unknown dtype ${dtype}`);
const directory = new URL('./lexicon-tiny/', import.meta.url).pathname;
const half = (jsonl: string) => {
  const entries = parseWordEvalSet(jsonl);
  return entries.slice(0, entries.length / 2).map((entry) => definitionQuestion(entry.word));
};
const known = half(await readFile(`${directory}eval/known.jsonl`, 'utf8'));
const unknown = half(await readFile(`${directory}eval/nonsense.jsonl`, 'utf8'));
const model = await loadModelDirectory(directory, { dtype, id: 'lexicon-tiny' });
const calibration = GateCalibration.from(defaultGateSettings);
const report = await calibrateGate(model, calibration, { known, unknown }, {
  targetAnswerRate: 0.97,
  onProgress: (done, total) => done % 100 === 0 && process.stderr.write(`${done}/${total}\n`),
});
const registryPath = new URL('./registry.json', import.meta.url);
const registry = JSON.parse(await readFile(registryPath, 'utf8'));
const entry = registry.models.find((candidate: { id: string }) => candidate.id === 'lexicon-tiny');
entry.gate[dtype] = { ...calibration.settings, threshold: Number(calibration.settings.threshold.toFixed(4)), calibratedOn: `first ${known.length} known + first ${unknown.length} nonsense words, target answer rate 0.97` };
await writeFile(registryPath, JSON.stringify(registry, null, 2) + '\n');
const { knownScores, unknownScores, ...summary } = report;
console.log(dtype, JSON.stringify(summary), 'threshold', calibration.settings.threshold);
