// nexusctl checkpoint import: verifies a checkpoint file, then uploads it to the running appliance or stores it.
import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { RestoreReport } from '../../../core/assistant/assistant-checkpoint.js';
import { FsCheckpointStore } from '../../checkpoint-store-fs.js';
import { requestAdmin } from '../admin-request.js';
import { CliError } from '../cli-error.js';
import { withJson, withTarget, type TargetOptions } from '../common-options.js';
import { exitCodes } from '../exit-codes.js';
import { runningPid } from '../pid-file.js';
import { resolveTarget } from '../resolve-target.js';
import { verifyCheckpointBytes } from '../verify-checkpoint-file.js';

/** What POST /api/checkpoints answers (the fields printed here). */
interface Uploaded {
  stored: { id: string };
  restore: RestoreReport;
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
  // A running daemon owns the store (and loads what it receives); otherwise write the file in place.
  if (options.adminUrl || (await runningPid(target.pidFile)) !== undefined) {
    const uploaded = await requestAdmin<Uploaded>(target, '/api/checkpoints', { method: 'POST', body: bytes });
    const { restored, dropped } = uploaded.restore;
    const skipped = dropped.length > 0 ? `; dropped ${dropped.join(', ')}` : '';
    const text = `imported ${file} as ${uploaded.stored.id}; the running appliance loaded it (restored ${restored.join(', ') || 'nothing'}${skipped})`;
    process.stdout.write(`${options.json ? JSON.stringify(uploaded) : text}\n`);
    return;
  }
  const stored = await new FsCheckpointStore(target.checkpointsDir, { keep: target.config.checkpoint.keep }).write(bytes);
  const text = `imported ${file} as ${stored.id} into ${target.checkpointsDir}`;
  process.stdout.write(`${options.json ? JSON.stringify({ ok: true, stored }) : text}\n`);
}

/** `nexusctl checkpoint import FILE`. */
export function checkpointImportCommand(): Command {
  const description = 'verify a checkpoint file, then upload it to the running appliance (or store it when stopped)';
  return withJson(withTarget(new Command('import').description(description))).argument('<file>', 'checkpoint file').action(run);
}
