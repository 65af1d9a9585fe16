// nexusctl token: prints the admin key (its last line), creating one if none; --rotate replaces it; create makes a LAN API key.
import { Command, InvalidArgumentError } from 'commander';
import pc from 'picocolors';
import { adminKeyFile, ensureAdminKey, keysFileOf, readAdminKey, rotateAdminKey } from '../../appliance/admin-key.js';
import { apiScopes, type ApiScope } from '../../appliance/api-keys.js';
import { withDataDir, type TargetOptions } from '../common-options.js';
import { createApiKey } from '../create-api-key.js';
import { resolveTarget, type Target } from '../resolve-target.js';

interface TokenOptions extends TargetOptions {
  rotate?: boolean;
}

interface CreateOptions extends TargetOptions {
  name: string;
  scopes: ApiScope[];
}

const keysFileFor = (target: Target) => target.config.auth.keysFile ?? keysFileOf(target.dataDir);

function parseScopes(value: string): ApiScope[] {
  const scopes = value.split(',').map((scope) => scope.trim());
  const unknown = scopes.filter((scope) => !(apiScopes as readonly string[]).includes(scope));
  if (unknown.length > 0 || scopes.length === 0) throw new InvalidArgumentError(`expected scopes from ${apiScopes.join(', ')} (comma-separated), got "${value}"`);
  return scopes as ApiScope[];
}

/** `nexusctl token create`: a key for LAN clients, printed once as the last line. */
function tokenCreateCommand(): Command {
  return withDataDir(new Command('create').description('make an API key for LAN clients (chat and read by default) and print it (last line); it works at once'))
    .option('--name <name>', 'what the key is for, kept beside its hash', 'LAN client')
    .option('--scopes <list>', `comma-separated, from ${apiScopes.join(', ')}`, parseScopes, ['chat', 'read'] as ApiScope[])
    .action(async (_options: CreateOptions, command: Command) => {
      // `token` takes --data-dir too, and commander gives it the flag even after `create`.
      const options = command.optsWithGlobals<CreateOptions>();
      const target = await resolveTarget(options);
      const keysFile = keysFileFor(target);
      const { id, key } = await createApiKey(keysFile, options.name, options.scopes);
      process.stderr.write(pc.dim(`a new API key ${id} (${options.scopes.join(', ')}) in ${keysFile}; shown only now: clients send it as "Authorization: Bearer <key>", nexusctl reads it from NEXUS_API_KEY\n`));
      process.stdout.write(`${key}\n`);
    });
}

/** `nexusctl token [--rotate]` and `nexusctl token create`. */
export function tokenCommand(): Command {
  return withDataDir(new Command('token').description('print the admin API key (last line of output), creating one if there is none; token create makes a LAN API key'))
    .option('--rotate', 'replace the admin key with a new one (the old one stops working)')
    .addCommand(tokenCreateCommand())
    .action(async (options: TokenOptions) => {
      const target = await resolveTarget(options);
      const keysFile = keysFileFor(target);
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
