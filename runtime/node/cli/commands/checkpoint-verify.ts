// nexusctl checkpoint verify: decodes checkpoints with the core decoder; exit 5 names the corrupt ones.
import { Command } from 'commander';
import pc from 'picocolors';
import { readCheckpointBlobs } from '../checkpoint-files.js';
import { CliError } from '../cli-error.js';
import { withDataDir, withJson, type TargetOptions } from '../common-options.js';
import { exitCodes } from '../exit-codes.js';
import { resolveTarget } from '../resolve-target.js';
import { verifyCheckpointBytes } from '../verify-checkpoint-file.js';

async function run(idOrFile: string | undefined, options: TargetOptions): Promise<void> {
  const target = await resolveTarget(options);
  const checks = await Promise.all((await readCheckpointBlobs(target.checkpointsDir, idOrFile)).map((blob) => verifyCheckpointBytes(blob.name, blob.bytes)));
  if (options.json) process.stdout.write(`${JSON.stringify({ ok: checks.every((check) => check.ok), checkpoints: checks })}\n`);
  else for (const check of checks) process.stdout.write(check.ok ? `${pc.green('ok')}       ${check.name}\n` : `${pc.red('corrupt')}  ${check.name}: ${check.error}\n`);
  const bad = checks.filter((check) => !check.ok).map((check) => check.name);
  if (checks.length === 0) throw new CliError(`no checkpoints in ${target.checkpointsDir}`, exitCodes.notFound);
  if (bad.length > 0) throw new CliError(`${bad.length} of ${checks.length} checkpoint(s) corrupt: ${bad.join(', ')}`, exitCodes.badInput);
}

/** `nexusctl checkpoint verify [ID|FILE]`. */
export function checkpointVerifyCommand(): Command {
  return withJson(withDataDir(new Command('verify').description('verify one checkpoint (store id or file) or all of them'))).argument('[id|file]', 'checkpoint id in the store, or a checkpoint file').action(run);
}
