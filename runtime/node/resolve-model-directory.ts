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

/** `model` is a registry id (a directory under modelsDirectory) or a directory path with config.json. */
export async function resolveModelDirectory(model: string, modelsDirectory = builtinModelsDirectory): Promise<ResolvedModel> {
  const registry = await readRegistry(modelsDirectory);
  const entry = registry.find((candidate) => candidate.id === model);
  const candidates = entry ? [join(modelsDirectory, model), join(builtinModelsDirectory, model)] : [resolve(model)];
  const directory = candidates.find((candidate) => existsSync(join(candidate, 'config.json')));
  if (!directory) throw new NexusError('MODEL_NOT_FOUND', { path: entry ? `${candidates[0]} (pull it with: nexusctl models pull ${model})` : join(resolve(model), 'config.json') });
  const id = entry?.id ?? basename(directory);
  return { id, directory, entry: entry ?? registry.find((candidate) => candidate.id === id) };
}
