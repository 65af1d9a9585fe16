// nexusctl token: prints the admin key (its last line), creating one if none; --rotate replaces it; create, list and revoke LAN API keys.
import { Command, InvalidArgumentError } from 'commander';
import pc from 'picocolors';
import { ADMIN_KEY_ID, adminKeyFile, ensureAdminKey, keysFileOf, readAdminKey, rotateAdminKey } from '../../appliance/admin-key.js';
import { apiScopes, readKeyRecords, writeKeyRecords, type ApiScope } from '../../appliance/api-keys.js';
import { CliError } from '../cli-error.js';
import { withDataDir, withJson, type TargetOptions } from '../common-options.js';
import { exitCodes } from '../exit-codes.js';
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

/** `nexusctl token list`: the keys in the keys file (id, name, scopes, when made; never a key or its hash). */
function tokenListCommand(): Command {
  return withJson(withDataDir(new Command('list').description('list the API keys in the keys file: id, name, scopes and when each was made (the keys themselves are not kept)'))).action(
    async (_options: TargetOptions, command: Command) => {
      const options = command.optsWithGlobals<TargetOptions>();
      const keysFile = keysFileFor(await resolveTarget(options));
      const keys = (await readKeyRecords(keysFile)).map(({ id, name, scopes, createdAt }) => ({ id, name, scopes, createdAt }));
      if (options.json) return void process.stdout.write(`${JSON.stringify({ keysFile, keys })}\n`);
      if (keys.length === 0) return void process.stdout.write(`no API keys in ${keysFile} (nexusctl token create makes one)\n`);
      for (const key of keys) process.stdout.write(`${pc.bold(key.id)}  ${key.name}  ${key.scopes.join(',')}  ${pc.dim(key.createdAt)}\n`);
    },
  );
}

/** `nexusctl token revoke ID`: removes a LAN key; the appliance refuses it from the next request on. */
function tokenRevokeCommand(): Command {
  return withDataDir(new Command('revoke').description('remove an API key by its id (from token list); it stops working at once').argument('<id>', 'the key id, e.g. key-1a2b3c4d')).action(
    async (id: string, _options: TargetOptions, command: Command) => {
      const options = command.optsWithGlobals<TargetOptions>();
      const keysFile = keysFileFor(await resolveTarget(options));
      const records = await readKeyRecords(keysFile);
      if (id === ADMIN_KEY_ID) throw new CliError('the admin key is replaced, not revoked: nexusctl token --rotate', exitCodes.badInput);
      if (!records.some((record) => record.id === id)) {
        const known = records.filter((record) => record.id !== ADMIN_KEY_ID).map((record) => record.id);
        throw new CliError(`no API key ${id} in ${keysFile} (${known.length > 0 ? `its keys: ${known.join(', ')}` : 'it has none but the admin key'})`, exitCodes.notFound);
      }
      await writeKeyRecords(keysFile, records.filter((record) => record.id !== id));
      process.stdout.write(`revoked ${id}: the appliance refuses it from now on\n`);
    },
  );
}

/** `nexusctl token [--rotate]`, `token create`, `token list` and `token revoke`. */
export function tokenCommand(): Command {
  return withDataDir(new Command('token').description('print the admin API key (last line of output), creating one if there is none; token create, list and revoke manage LAN API keys'))
    .option('--rotate', 'replace the admin key with a new one (the old one stops working)')
    .addCommand(tokenCreateCommand())
    .addCommand(tokenListCommand())
    .addCommand(tokenRevokeCommand())
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
