// installedModelDirectory: where a registry model's files are on disk (pulled, or the built-in copy).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RegistryEntry } from '../../core/registry/model-registry.js';
import { builtinModelsDirectory } from '../resolve-model-directory.js';

/** `<modelsDirectory>/<id>` when it exists; for a built-in model, its copy in the repository's models/. */
export function installedModelDirectory(entry: RegistryEntry, modelsDirectory: string): string {
  const pulled = join(modelsDirectory, entry.id);
  if (existsSync(pulled) || !entry.builtin) return pulled;
  return join(builtinModelsDirectory, entry.id);
}
