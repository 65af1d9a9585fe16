// nexusctl checkpoint: the group of checkpoint subcommands (list, verify, export, import).
import { Command } from 'commander';
import { checkpointExportCommand } from './checkpoint-export.js';
import { checkpointImportCommand } from './checkpoint-import.js';
import { checkpointListCommand } from './checkpoint-list.js';
import { checkpointVerifyCommand } from './checkpoint-verify.js';

/** `nexusctl checkpoint list|verify|export|import`. */
export function checkpointCommand(): Command {
  const group = new Command('checkpoint').description('list, verify, export and import checkpoints');
  for (const sub of [checkpointListCommand(), checkpointVerifyCommand(), checkpointExportCommand(), checkpointImportCommand()]) group.addCommand(sub);
  return group;
}
