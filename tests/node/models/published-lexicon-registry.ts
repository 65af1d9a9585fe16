// publishedLexiconRegistry: the built-in lexicon-tiny entry as if published on a hub, for pull tests against a local server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModelRegistry, type RegistryEntry } from '../../../runtime/core/registry/model-registry.js';
import { lexiconDirectory } from '../../support/lexicon-model.js';

/** Where the entry says it is published, and whether its files keep their sizes and SHA-256s (else only paths). */
export interface Publication {
  id: string;
  repo: string;
  revision: string;
  source: string;
  verified: boolean;
  withChecksums: boolean;
}

/** The built-in entry under another id, not built in, with the same files (real sizes and SHA-256s when `withChecksums`). */
export function publishedLexiconRegistry(publication: Publication): { models: RegistryEntry[] } {
  const { id, repo, revision, source, verified, withChecksums } = publication;
  const builtin = JSON.parse(readFileSync(join(lexiconDirectory, '..', 'registry.json'), 'utf8')) as unknown;
  const lexicon = parseModelRegistry(builtin).find((entry) => entry.id === 'lexicon-tiny')!;
  const strip = (files: RegistryEntry['files'][string]) => files.map(({ path, size, sha256 }) => (withChecksums ? { path, size, sha256 } : { path }));
  const files = Object.fromEntries(Object.entries(lexicon.files).map(([dtype, list]) => [dtype, strip(list)]));
  return { models: [{ ...lexicon, id, builtin: false, verified, repo, revision, source, files, gate: {} }] };
}
