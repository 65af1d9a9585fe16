// nexusctl checkpoint export: copies the newest (or a named) verified checkpoint to a file.
import { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { readCheckpointBlobs } from '../checkpoint-files.js';
import { CliError } from '../cli-error.js';
import { withDataDir, type TargetOptions } from '../common-options.js';
import { exitCodes } from '../exit-codes.js';
import { resolveTarget } from '../resolve-target.js';
import { verifyCheckpointBytes } from '../verify-checkpoint-file.js';

interface ExportOptions extends TargetOptions {
  out?: string;
}

async function run(id: string | undefined, options: ExportOptions): Promise<void> {
  const target = await resolveTarget(options);
  const [newest] = await readCheckpointBlobs(target.checkpointsDir, id);
  if (!newest) throw new CliError(`no checkpoints in ${target.checkpointsDir}`, exitCodes.notFound);
  const check = await verifyCheckpointBytes(newest.name, newest.bytes);
  if (!check.ok) throw new CliError(`${newest.name} is corrupt: ${check.error}`, exitCodes.badInput);
  const out = options.out ?? newest.name;
  await writeFile(out, newest.bytes);
  process.stderr.write(`exported ${newest.name} (${newest.bytes.byteLength} bytes) to ${out}\n`);
}

/** `nexusctl checkpoint export [ID] [--out FILE]`. */
export function checkpointExportCommand(): Command {
  return withDataDir(new Command('export').description('write the newest checkpoint (or ID) to a file'))
    .argument('[id]', 'checkpoint id (default: the newest)')
    .option('--out <file>', 'output file (default: the checkpoint id in the current directory)')
    .action(run);
}
