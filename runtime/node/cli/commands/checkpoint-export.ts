// nexusctl checkpoint export: copies the newest (or a named) verified checkpoint to a file.
import { Command } from 'commander';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../../write-file-atomically.js';
import { readCheckpointBlobs } from '../checkpoint-files.js';
import { CliError } from '../cli-error.js';
import { withDataDir, type TargetOptions } from '../common-options.js';
import { exitCodes } from '../exit-codes.js';
import { resolveTarget } from '../resolve-target.js';
import { verifyCheckpointBytes } from '../verify-checkpoint-file.js';

interface ExportOptions extends TargetOptions {
  out?: string;
}

/** --out as given, or, like cp, the checkpoint's own name inside --out when it is a directory (in the current one without --out). */
function outputFile(out: string | undefined, name: string): string {
  if (out === undefined) return name;
  return statSync(out, { throwIfNoEntry: false })?.isDirectory() ? join(out, name) : out;
}

async function run(id: string | undefined, options: ExportOptions): Promise<void> {
  const target = await resolveTarget(options);
  const [newest] = await readCheckpointBlobs(target.checkpointsDir, id).catch((error: unknown) => {
    // `export FILE` reads like "export to FILE": the argument is the checkpoint, the file is --out.
    if (error instanceof CliError && id !== undefined && !options.out) throw new CliError(`${error.message}; to write the newest checkpoint to ${id}: nexusctl checkpoint export --out ${id}`, error.exitCode);
    throw error;
  });
  if (!newest) throw new CliError(`no checkpoints in ${target.checkpointsDir}`, exitCodes.notFound);
  const check = await verifyCheckpointBytes(newest.name, newest.bytes);
  if (!check.ok) throw new CliError(`${newest.name} is corrupt: ${check.error}`, exitCodes.badInput);
  const out = outputFile(options.out, newest.name);
  try {
    await writeFileAtomically(out, newest.bytes);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'its directory does not exist' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOSPC' ? 'no space left on the device' : (error as Error).message;
    throw new CliError(`cannot write ${out}: ${why}`, exitCodes.failure);
  }
  process.stderr.write(`exported ${newest.name} (${newest.bytes.byteLength} bytes) to ${out}\n`);
}

/** `nexusctl checkpoint export [ID] [--out FILE]`. */
export function checkpointExportCommand(): Command {
  return withDataDir(new Command('export').description('write the newest checkpoint (or ID) to a file (--out)'))
    .argument('[id]', 'checkpoint id (default: the newest)')
    .option('--out <file>', 'output file, or a directory to write it into (default: the checkpoint id in the current directory)')
    .action(run);
}
