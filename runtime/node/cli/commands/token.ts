// nexusctl token: prints the admin key (its last line), creating one if none; --rotate replaces it.
import { Command } from 'commander';
import pc from 'picocolors';
import { adminKeyFile, ensureAdminKey, keysFileOf, readAdminKey, rotateAdminKey } from '../../appliance/admin-key.js';
import { withDataDir, type TargetOptions } from '../common-options.js';
import { resolveTarget } from '../resolve-target.js';

interface TokenOptions extends TargetOptions {
  rotate?: boolean;
}

/** `nexusctl token [--rotate]`. */
export function tokenCommand(): Command {
  return withDataDir(new Command('token').description('print the admin API key (last line of output), creating one if there is none'))
    .option('--rotate', 'replace the admin key with a new one (the old one stops working)')
    .action(async (options: TokenOptions) => {
      const target = await resolveTarget(options);
      const keysFile = target.config.auth.keysFile ?? keysFileOf(target.dataDir);
      let note: string;
      if (options.rotate) {
        await rotateAdminKey(target.dataDir, keysFile);
        note = 'a new admin key (the old one no longer works)';
      } else {
        note = (await ensureAdminKey(target.dataDir, keysFile)) ? 'a new admin key' : 'the admin key';
      }
      const key = await readAdminKey(target.dataDir);
      process.stderr.write(pc.dim(`${note}, from ${adminKeyFile(target.dataDir)}; send it as "Authorization: Bearer <key>" to the admin API\n`));
      process.stdout.write(`${key}\n`);
    });
}
