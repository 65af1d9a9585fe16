// nexusctl checkpoint import: verifies a checkpoint file, then uploads it to the running appliance or stores it.
import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { checkAssistantSections, type RestoreReport } from '../../../core/assistant/assistant-checkpoint.js';
import { mergeCheckpoints } from '../../../core/assistant/merge-checkpoints.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../../core/checkpoint/checkpoint-codec.js';
import { loadNewestCheckpoint } from '../../../core/checkpoint/load-newest-checkpoint.js';
import { LearnerMemory } from '../../../core/learner/learner-memory.js';
import { FsCheckpointStore } from '../../checkpoint-store-fs.js';
import { requestAdmin } from '../admin-request.js';
import { CliError } from '../cli-error.js';
import { withJson, withTarget, type TargetOptions } from '../common-options.js';
import { exitCodes } from '../exit-codes.js';
import { applianceProcess } from '../pid-file.js';
import { resolveTarget } from '../resolve-target.js';
import { verifyCheckpointBytes } from '../verify-checkpoint-file.js';

/** Who wrote a checkpoint the CLI merged while the appliance was stopped. */
const PRODUCER_CLI = 'nexus-edge/0.1.0 nexusctl';

/** What POST /api/checkpoints answers (the fields printed here). */
interface Uploaded {
  stored: { id: string };
  restore: RestoreReport;
  memory: { before: number; after: number };
}

async function run(file: string, options: TargetOptions): Promise<void> {
  const target = await resolveTarget(options);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, exitCodes.notFound);
  }
  const check = await verifyCheckpointBytes(basename(file), bytes);
  if (!check.ok) throw new CliError(`${file} is not a valid checkpoint: ${check.error}`, exitCodes.badInput);
  // A running appliance (background or terminal) owns the store and adds what it receives; otherwise merge into the store here.
  if (options.adminUrl || (await applianceProcess(target)) !== undefined) {
    const uploaded = await requestAdmin<Uploaded>(target, '/api/checkpoints', { method: 'POST', body: bytes });
    const { restored, dropped } = uploaded.restore;
    const skipped = dropped.length > 0 ? `; dropped ${dropped.join(', ')}` : '';
    const { before, after } = uploaded.memory;
    const text = `imported ${file} into the running appliance: memory ${before} → ${after} entries (its answers added; for a question both hold, the one taught last wins); restored ${restored.join(', ') || 'nothing'}${skipped}; saved as ${uploaded.stored.id}`;
    process.stdout.write(`${options.json ? JSON.stringify(uploaded) : text}\n`);
    return;
  }
  const store = new FsCheckpointStore(target.checkpointsDir, { keep: target.config.checkpoint.keep });
  const merged = await mergeWithNewest(store, bytes);
  const stored = await store.write(merged.bytes);
  const text = merged.memory
    ? `imported ${file} into ${target.checkpointsDir} as ${stored.id}, added to ${merged.base}: memory ${merged.memory.before} → ${merged.memory.after} entries; the appliance starts from it`
    : `imported ${file} as ${stored.id} into ${target.checkpointsDir}; the appliance starts from it`;
  process.stdout.write(`${options.json ? JSON.stringify({ ok: true, stored, ...(merged.memory && { mergedInto: merged.base, memory: merged.memory }) }) : text}\n`);
}

/**
 * With the appliance stopped, the file is added to the newest good stored checkpoint, as the running
 * appliance would add it, so that the next start does not drop what was learned here; with none
 * stored, the file is stored as it is.
 */
async function mergeWithNewest(store: FsCheckpointStore, bytes: Uint8Array): Promise<{ bytes: Uint8Array; base?: string; memory?: { before: number; after: number } }> {
  const newest = await loadNewestCheckpoint(store, { validate: checkAssistantSections });
  if (!newest) return { bytes };
  const incoming = await decodeCheckpoint(bytes, { modelSha256: newest.checkpoint.header.modelSha256 });
  const merged = mergeCheckpoints(newest.checkpoint, incoming, PRODUCER_CLI);
  return { bytes: await encodeCheckpoint(merged), base: newest.id, memory: { before: memorySize(newest.checkpoint.sections.memory), after: memorySize(merged.sections.memory) } };
}

function memorySize(section: unknown): number {
  return section === undefined ? 0 : LearnerMemory.fromSection(section).size;
}

/** `nexusctl checkpoint import FILE`. */
export function checkpointImportCommand(): Command {
  const description = 'verify a checkpoint file, then add what it learned to the running appliance (or, when stopped, to the newest stored checkpoint)';
  return withJson(withTarget(new Command('import').description(description))).argument('<file>', 'checkpoint file').action(run);
}
