// Checkpoint migrations: one step per format version, bringing an older blob's content to the current one.
import { NexusError } from '../nexus-error.js';
import { CHECKPOINT_FORMAT_VERSION, type JsonObject, type JsonValue } from './checkpoint-types.js';

/** A checkpoint's content as stored by some format version, before its header is typed. */
export interface RawCheckpoint {
  header: JsonObject;
  sections: Record<string, JsonValue>;
}

/** Turns the content of format version N into that of version N + 1; throws CHECKPOINT_CORRUPT on bad input. */
export type CheckpointMigration = (from: RawCheckpoint) => RawCheckpoint;

/** The oldest format version that still loads. */
export const OLDEST_CHECKPOINT_FORMAT_VERSION = 1;

/**
 * Version 1 (first appliance builds) differs from version 2 in content only; the byte layout is
 * the same. Its header named the model in a nested object, `{"model": {"id", "sha256"}}`, where
 * version 2 has flat `modelId` and `modelSha256`; the memory section was called `learner`; there
 * was no `metrics` section (version 2 does not require one, so none is invented).
 */
function migrateV1ToV2({ header, sections }: RawCheckpoint): RawCheckpoint {
  const model = header.model;
  if (typeof model !== 'object' || model === null || Array.isArray(model)) {
    throw corrupt('version 1 header has no "model" object');
  }
  const rest: JsonObject = { ...header };
  delete rest.model;
  const migrated: Record<string, JsonValue> = { ...sections };
  if ('learner' in migrated) {
    if ('memory' in migrated) throw corrupt('version 1 checkpoint has both "learner" and "memory" sections');
    migrated.memory = migrated.learner;
    delete migrated.learner;
  }
  return {
    header: { ...rest, formatVersion: 2, modelId: model.id ?? null, modelSha256: model.sha256 ?? null },
    sections: migrated,
  };
}

/** The migrations, keyed by the version they start from. */
export const checkpointMigrations: Readonly<Record<number, CheckpointMigration>> = {
  1: migrateV1ToV2,
};

/**
 * Applies the migrations from `fromVersion` up to CHECKPOINT_FORMAT_VERSION in order.
 * The result's header is still untyped: the codec validates it as a current header.
 */
export function migrateCheckpoint(raw: RawCheckpoint, fromVersion: number): RawCheckpoint {
  let current = raw;
  for (let version = fromVersion; version < CHECKPOINT_FORMAT_VERSION; version++) {
    const step = checkpointMigrations[version];
    if (!step) throw corrupt(`no migration from format version ${version}`);
    current = step(current);
  }
  return current;
}

function corrupt(reason: string): NexusError {
  return new NexusError('CHECKPOINT_CORRUPT', { reason });
}
