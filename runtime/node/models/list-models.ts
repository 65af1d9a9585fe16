// listModels: the registry's models with what is installed of each (dtypes and bytes on disk).
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RegistryEntry } from '../../core/registry/model-registry.js';
import { modelDtypes, type ModelDtype } from '../../core/model/model-dtype.js';
import { readRegistry } from '../resolve-model-directory.js';
import { installedModelDirectory } from './installed-model-directory.js';

export interface ListedModel {
  entry: RegistryEntry;
  directory: string;
  /** Dtypes the registry offers. */
  availableDtypes: ModelDtype[];
  /** Dtypes whose files (shared and weights) are all present. */
  installedDtypes: ModelDtype[];
  /** Bytes on disk of the registry files that are present. */
  installedBytes: number;
  /** Download size per dtype where the registry knows every file's size. */
  downloadBytes: Partial<Record<ModelDtype, number>>;
}

async function sizeIfPresent(path: string): Promise<number> {
  return existsSync(path) ? (await stat(path)).size : 0;
}

/** Every registry model in `modelsDirectory`'s registry (or the built-in one), with its install state. */
export async function listModels(modelsDirectory: string, registry?: readonly RegistryEntry[]): Promise<ListedModel[]> {
  const entries = registry ?? (await readRegistry(modelsDirectory));
  const listed: ListedModel[] = [];
  for (const entry of entries) {
    const directory = installedModelDirectory(entry, modelsDirectory);
    const common = entry.files.common ?? [];
    const availableDtypes = modelDtypes.filter((dtype) => entry.files[dtype]);
    const present = (path: string) => existsSync(join(directory, path));
    const installedDtypes = availableDtypes.filter((dtype) => [...common, ...(entry.files[dtype] ?? [])].every((file) => present(file.path)));
    const paths = new Set(Object.values(entry.files).flatMap((files) => files.map((file) => file.path)));
    let installedBytes = 0;
    for (const path of paths) installedBytes += await sizeIfPresent(join(directory, path));
    const downloadBytes: Partial<Record<ModelDtype, number>> = {};
    for (const dtype of availableDtypes) {
      const files = [...common, ...(entry.files[dtype] ?? [])];
      if (files.every((file) => file.size !== undefined)) downloadBytes[dtype] = files.reduce((sum, file) => sum + (file.size ?? 0), 0);
    }
    listed.push({ entry, directory, availableDtypes, installedDtypes, installedBytes, downloadBytes });
  }
  return listed;
}
