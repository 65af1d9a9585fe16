// resolveModelDirectory: a registry id (looked up under the models directory) or a path, to a directory.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { NexusError } from '../core/nexus-error.js';
import { parseModelRegistry, type RegistryEntry } from '../core/registry/model-registry.js';
import { packageRoot } from './package-root.js';

/** The repository's models/ directory (holds registry.json and the built-in model). */
export const builtinModelsDirectory = join(packageRoot, 'models');

export interface ResolvedModel {
  id: string;
  directory: string;
  entry?: RegistryEntry;
}

/** Reads registry.json from `modelsDirectory` (falling back to the built-in one). */
export async function readRegistry(modelsDirectory = builtinModelsDirectory): Promise<RegistryEntry[]> {
  const local = join(modelsDirectory, 'registry.json');
  const path = existsSync(local) ? local : join(builtinModelsDirectory, 'registry.json');
  return parseModelRegistry(JSON.parse(await readFile(path, 'utf8')));
}

/** Whether `model` was written as a path (a separator, or a leading `.` or `~`) rather than as a registry id. */
const writtenAsPath = (model: string) => /[\\/]/.test(model) || model.startsWith('.') || model.startsWith('~');

/** Neither a registry id nor a model directory: INVALID_OPTION listing the ids installed and those to pull. */
function unknownModel(model: string, registry: readonly RegistryEntry[], modelsDirectory: string): NexusError {
  const isInstalled = (entry: RegistryEntry) => [join(modelsDirectory, entry.id), join(builtinModelsDirectory, entry.id)].some((directory) => existsSync(join(directory, 'config.json')));
  const installed = registry.filter(isInstalled).map((entry) => entry.id);
  const pullable = registry.filter((entry) => !isInstalled(entry)).map((entry) => entry.id);
  const known = [`installed: ${installed.join(', ') || 'none'}`, ...(pullable.length > 0 ? [`to pull (nexusctl models pull <id>): ${pullable.join(', ')}`] : [])];
  return new NexusError('INVALID_OPTION', { key: 'model', reason: `unknown model "${model}": not a registry id, and ${resolve(model)} is not a model directory (${known.join('; ')})`, model, installed, pullable });
}

/**
 * `model` is a registry id (a directory under modelsDirectory) or a directory path with config.json.
 * A registry id not pulled yet, or a path without config.json, is MODEL_NOT_FOUND; a name that is
 * neither is INVALID_OPTION [model] listing the ids there are.
 */
export async function resolveModelDirectory(model: string, modelsDirectory = builtinModelsDirectory): Promise<ResolvedModel> {
  const registry = await readRegistry(modelsDirectory);
  const entry = registry.find((candidate) => candidate.id === model);
  const candidates = entry ? [join(modelsDirectory, model), join(builtinModelsDirectory, model)] : [resolve(model)];
  const directory = candidates.find((candidate) => existsSync(join(candidate, 'config.json')));
  if (!directory) {
    if (entry) throw new NexusError('MODEL_NOT_FOUND', { path: `${candidates[0]} (pull it with: nexusctl models pull ${model})` });
    if (writtenAsPath(model)) throw new NexusError('MODEL_NOT_FOUND', { path: join(resolve(model), 'config.json') });
    throw unknownModel(model, registry, modelsDirectory);
  }
  const id = entry?.id ?? basename(directory);
  return { id, directory, entry: entry ?? registry.find((candidate) => candidate.id === id) };
}
