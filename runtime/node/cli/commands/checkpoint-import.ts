// nexusctl checkpoint import: verifies a checkpoint file, then uploads it to the running appliance or stores it.
import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { FsCheckpointStore } from '../../checkpoint-store-fs.js';
import { requestAdmin } from '../admin-request.js';
import { CliError } from '../cli-error.js';
import { withTarget, type TargetOptions } from '../common-options.js';
import { exitCodes } from '../exit-codes.js';
import { runningPid } from '../pid-file.js';
import { resolveTarget } from '../resolve-target.js';
import { verifyCheckpointBytes } from '../verify-checkpoint-file.js';

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
    const stored = await requestAdmin<unknown>(target, '/api/checkpoints', { method: 'POST', body: bytes });
    process.stdout.write(`${JSON.stringify(stored)}\n`);
    return;
  }
  const stored = await new FsCheckpointStore(target.checkpointsDir, { keep: target.config.checkpoint.keep }).write(bytes);
  process.stdout.write(`imported ${file} as ${stored.id} into ${target.checkpointsDir}\n`);
}

/** `nexusctl checkpoint import FILE`. */
export function checkpointImportCommand(): Command {
  return withTarget(new Command('import').description('verify a checkpoint file, then upload it to the running appliance (or store it when stopped)')).argument('<file>', 'checkpoint file').action(run);
}
