// Checkpoint types: the header, the named JSON sections, and what decoding reports about them.

/** Plain JSON: what a checkpoint section may hold (no undefined, NaN, Infinity, Date, Map...). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object (a header or a section body before it is typed). */
export type JsonObject = { [key: string]: JsonValue };

/** The format version this runtime writes; older ones are migrated on load, newer ones refused. */
export const CHECKPOINT_FORMAT_VERSION = 2;

/** Section names the runtime itself writes; other names are kept as they are. */
export const KNOWN_SECTIONS = ['lifecycle', 'gate', 'memory', 'metrics'] as const;

/** A section name the runtime itself writes. */
export type KnownSectionName = (typeof KNOWN_SECTIONS)[number];

/**
 * Sections only valid for the model they were made with (gate calibration is per model); they are
 * dropped when a checkpoint is loaded for a different model. The others are model-independent.
 */
export const MODEL_DEPENDENT_SECTIONS: readonly string[] = ['gate'];

/** Who wrote a checkpoint, when, and for which model file. */
export interface CheckpointHeader {
  /** Format version of the blob (CHECKPOINT_FORMAT_VERSION once decoded, since older ones are migrated). */
  formatVersion: number;
  /** ISO 8601 time of writing, e.g. `2025-01-31T12:00:00.000Z`. */
  createdAt: string;
  /** Writer and platform, e.g. `nexus-edge/0.1.0 node`. */
  producer: string;
  /** Registry id of the model, e.g. `lexicon-tiny`. */
  modelId: string;
  /** Lowercase hex SHA-256 of the model file the state was made with. */
  modelSha256: string;
}

/** One checkpoint: a header and named sections of plain JSON. */
export interface Checkpoint {
  header: CheckpointHeader;
  sections: Record<string, JsonValue>;
}

/** A checkpoint as loaded: migrated to the current version, model-dependent parts dropped on a mismatch. */
export type DecodedCheckpoint = Checkpoint & {
  /** The stored format version when it was older than the current one and migrated. */
  migratedFrom?: number;
  /** Model-dependent sections present in the blob but dropped because the model differs. */
  droppedSections: string[];
  /** True when a model SHA-256 was given and the checkpoint was made with another model. */
  modelMismatch: boolean;
};
