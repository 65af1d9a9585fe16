// nexusctl checkpoint list: the checkpoints on disk, newest first, with what each holds.
import { Command } from 'commander';
import pc from 'picocolors';
import { readCheckpointBlobs } from '../checkpoint-files.js';
import { withDataDir, withJson, type TargetOptions } from '../common-options.js';
import { resolveTarget } from '../resolve-target.js';
import { verifyCheckpointBytes } from '../verify-checkpoint-file.js';

async function run(options: TargetOptions): Promise<void> {
  const target = await resolveTarget(options);
  const checks = await Promise.all((await readCheckpointBlobs(target.checkpointsDir)).map((blob) => verifyCheckpointBytes(blob.name, blob.bytes)));
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ directory: target.checkpointsDir, checkpoints: checks })}\n`);
    return;
  }
  if (checks.length === 0) {
    process.stdout.write(`no checkpoints in ${target.checkpointsDir}\n`);
    return;
  }
  for (const check of checks) {
    const size = `${(check.sizeBytes / 1024).toFixed(1)} KiB`;
    const about = check.ok ? `${check.createdAt}  ${check.modelId}  ${check.sections.join(',')}` : pc.red(`corrupt: ${check.error}`);
    process.stdout.write(`${check.name}  ${pc.dim(size)}  ${about}\n`);
  }
}

/** `nexusctl checkpoint list`. */
export function checkpointListCommand(): Command {
  return withJson(withDataDir(new Command('list').description('list the checkpoints in <data-dir>/checkpoints, newest first'))).action(run);
}
