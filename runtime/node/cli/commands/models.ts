// nexusctl models: list the registry, pull a model (resumable, verified), verify installed files, switch the daemon's model.
import { Command, Option } from 'commander';
import pc from 'picocolors';
import { isModelDtype, type ModelDtype } from '../../../core/model/model-dtype.js';
import { isNexusError, NexusError } from '../../../core/nexus-error.js';
import { formatBytes } from '../../models/format-bytes.js';
import { formatPullSummary } from '../../models/format-pull-summary.js';
import { listModels } from '../../models/list-models.js';
import { pullModel } from '../../models/pull-model.js';
import { createPullProgressBar } from '../../models/pull-progress-bar.js';
import { verifyModel } from '../../models/verify-model.js';
import { readRegistry } from '../../resolve-model-directory.js';
import { requestAdmin } from '../admin-request.js';
import { CliError } from '../cli-error.js';
import { withDataDir, withJson, withTarget, type TargetOptions } from '../common-options.js';
import { exitCodes } from '../exit-codes.js';
import { resolveTarget } from '../resolve-target.js';

function dtypeOption(): Option {
  return new Option('--dtype <dtype>', 'weights precision').choices(['q4', 'q8', 'fp32']);
}

function checkedDtype(value: string | undefined, fallback: ModelDtype): ModelDtype {
  if (value === undefined) return fallback;
  if (!isModelDtype(value)) throw new NexusError('INVALID_OPTION', { key: 'dtype', reason: `expected q4, q8 or fp32, got "${value}"` });
  return value;
}

async function list(options: TargetOptions): Promise<void> {
  const { config } = await resolveTarget(options);
  const models = await listModels(config.modelsDir, await readRegistry(config.modelsDir));
  if (options.json) {
    const rows = models.map((model) => ({ id: model.entry.id, name: model.entry.name, verified: model.entry.verified, availableDtypes: model.availableDtypes, installedDtypes: model.installedDtypes, installedBytes: model.installedBytes, directory: model.directory }));
    return void process.stdout.write(`${JSON.stringify({ models: rows })}\n`);
  }
  for (const model of models) {
    const dtypes = model.availableDtypes.map((dtype) => `${dtype} ${model.installedDtypes.includes(dtype) ? pc.green('installed') : pc.dim('not installed')}`);
    const size = model.installedBytes ? ` ${formatBytes(model.installedBytes)}` : '';
    process.stdout.write(`${pc.bold(model.entry.id)}${size}  ${pc.dim(model.entry.name)}${model.entry.verified ? '' : pc.yellow(' (checksums not verified here)')}\n  ${dtypes.join(', ')}\n`);
  }
}

async function pull(id: string, options: TargetOptions & { dtype?: string; mirror?: string }): Promise<void> {
  const { config } = await resolveTarget(options);
  const dtype = checkedDtype(options.dtype, config.dtype);
  const mirror = options.mirror ?? config.modelMirror ?? process.env.NEXUS_MODEL_MIRROR;
  const bar = options.json ? undefined : createPullProgressBar();
  // Ctrl-C: the bar gives the terminal back its cursor and line wrap, which Node's default exit left off.
  const onInterrupt = () => {
    bar?.stop();
    process.stderr.write(`${pc.red('nexusctl: interrupted')}; what was downloaded is kept, and pulling again resumes it\n`);
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  try {
    const result = await pullModel({ id, dtype, modelsDirectory: config.modelsDir, mirror, onProgress: bar?.onProgress });
    bar?.stop();
    if (options.json) return void process.stdout.write(`${JSON.stringify(result)}\n`);
    process.stdout.write(`${pc.green('pulled')} ${id} ${dtype} into ${result.directory} ${formatPullSummary(result)}\n`);
  } catch (error) {
    bar?.stop();
    if (isNexusError(error, 'DOWNLOAD_FAILED') && error.details.unreachable) {
      const hint = 'check the network; to pull from another server: --mirror URL (or NEXUS_MODEL_MIRROR, or modelMirror in the config)';
      throw new NexusError('DOWNLOAD_FAILED', { ...error.details, reason: `${String(error.details.reason)}; ${hint}` }, { cause: error });
    }
    throw error;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

async function verify(id: string | undefined, options: TargetOptions): Promise<void> {
  const { config } = await resolveTarget(options);
  const registry = await readRegistry(config.modelsDir);
  const installed = (await listModels(config.modelsDir, registry)).filter((model) => model.installedDtypes.length > 0);
  const ids = id ? [id] : installed.map((model) => model.entry.id);
  if (id && !registry.some((entry) => entry.id === id)) throw new NexusError('MODEL_NOT_FOUND', { path: `registry id "${id}" (known: ${registry.map((entry) => entry.id).join(', ')})` });
  const results = [];
  for (const modelId of ids) results.push(await verifyModel({ id: modelId, modelsDirectory: config.modelsDir, registry }));
  if (options.json) process.stdout.write(`${JSON.stringify({ models: results })}\n`);
  else {
    for (const result of results) {
      for (const file of result.files) process.stdout.write(`${file.ok ? pc.green('ok      ') : pc.red('FAILED  ')} ${result.id}/${file.path}${file.reason ? pc.dim(` ${file.reason}`) : ''}\n`);
    }
  }
  const failed = results.flatMap((result) => result.files.filter((file) => !file.ok).map((file) => `${result.id}/${file.path}`));
  if (failed.length > 0) throw new CliError(`verification failed: ${failed.join(', ')}`, exitCodes.badInput);
}

async function use(id: string, options: TargetOptions & { dtype?: string }): Promise<void> {
  const target = await resolveTarget(options);
  const dtype = checkedDtype(options.dtype, target.config.dtype);
  const result = await requestAdmin<Record<string, unknown>>(target, '/api/control', { method: 'POST', body: { action: 'use-model', model: id, dtype } });
  if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${pc.green('now serving')} ${id} ${dtype} ${pc.dim('(switched without a restart)')}\n`);
}

/** `nexusctl models list|pull|verify|use`. */
export function modelsCommand(): Command {
  const group = new Command('models').description('the models in models/registry.json');
  group.addCommand(withJson(withDataDir(new Command('list').description('list models with their dtypes and whether installed'))).action(list));
  group.addCommand(
    withJson(withDataDir(new Command('pull').description('download a model (resumable, SHA-256 verified, moved into place atomically)')))
      .argument('<id>', 'registry id')
      .addOption(dtypeOption())
      .option('--mirror <url>', 'base URL serving the Hugging Face layout …/{repo}/resolve/{revision}/{path} (default: NEXUS_MODEL_MIRROR or huggingface.co)')
      .action(pull),
  );
  group.addCommand(withJson(withDataDir(new Command('verify').description('check installed model files against their SHA-256'))).argument('[id]', 'registry id (default: every installed model)').action(verify));
  group.addCommand(withJson(withTarget(new Command('use').description('switch the running appliance to another model, without a restart'))).argument('<id>', 'registry id or model directory').addOption(dtypeOption()).action(use));
  return group;
}
