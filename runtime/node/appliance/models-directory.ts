// modelsDirectoryOf: the models directory the config names, or the built-in one when it does not exist.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { NexusConfig } from '../../../edge-config/config-schema.js';
import { builtinModelsDirectory } from '../resolve-model-directory.js';

/** config.modelsDir resolved, falling back to the models shipped with the runtime. */
export function modelsDirectoryOf(config: NexusConfig): string {
  const dir = resolve(config.modelsDir);
  return existsSync(dir) ? dir : builtinModelsDirectory;
}
