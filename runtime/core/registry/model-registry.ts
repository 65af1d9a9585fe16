// ModelRegistry: models/registry.json parsed and validated; a pure function over its JSON.
import * as z from 'zod';
import { NexusError } from '../nexus-error.js';
import { defaultGateSettings, type GateSettings } from '../gate/gate-settings.js';
import { modelDtypes, type ModelDtype } from '../model/model-dtype.js';

const fileSchema = z.object({ path: z.string().min(1), size: z.number().int().min(0).optional(), sha256: z.string().regex(/^[0-9a-f]{64}$/).optional() });
const gateSchema = z.object({
  threshold: z.number().min(0).max(1),
  k: z.number().int().min(1),
  score: z.enum(['min', 'mean']),
  collapseWindow: z.number().int().min(1),
  collapseThreshold: z.number().min(0).max(1),
  calibratedOn: z.string().optional(),
});

const entrySchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  name: z.string(),
  family: z.enum(['llama', 'gpt2']),
  builtin: z.boolean().default(false),
  verified: z.boolean(),
  license: z.string(),
  source: z.string(),
  repo: z.string().optional(),
  revision: z.string().default('main'),
  contextLength: z.number().int().positive().optional(),
  profiles: z.array(z.string()).default([]),
  /** Free text for people: what was (not) verified, what the model suits. */
  notes: z.string().optional(),
  files: z.record(z.string(), z.array(fileSchema)),
  gate: z.record(z.string(), gateSchema).default({}),
});

const registrySchema = z.object({ models: z.array(entrySchema) }).passthrough();

export type RegistryEntry = z.infer<typeof entrySchema>;
export type RegistryFile = z.infer<typeof fileSchema>;

/** The registry's models, validated; an invalid registry is MODEL_CONFIG_INVALID naming the field. */
export function parseModelRegistry(json: unknown): RegistryEntry[] {
  const parsed = registrySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new NexusError('MODEL_CONFIG_INVALID', { key: `registry.${issue.path.join('.')}`, reason: issue.message });
  }
  return parsed.data.models;
}

/** Files to fetch for one dtype: the shared ones plus that dtype's ONNX file(s). */
export function filesForDtype(entry: RegistryEntry, dtype: ModelDtype): RegistryFile[] {
  const weights = entry.files[dtype];
  if (!weights) {
    const available = modelDtypes.filter((candidate) => entry.files[candidate]).join(', ');
    throw new NexusError('DTYPE_UNAVAILABLE', { dtype, available: available || 'none' });
  }
  return [...(entry.files.common ?? []), ...weights];
}

/** The registry's calibrated gate settings for a dtype, or the cautious defaults. */
export function gateSettingsFor(entry: RegistryEntry | undefined, dtype: ModelDtype): { settings: GateSettings; calibrated: boolean } {
  const calibrated = entry?.gate[dtype];
  if (!calibrated) return { settings: { ...defaultGateSettings }, calibrated: false };
  const { calibratedOn: _calibratedOn, ...settings } = calibrated;
  return { settings, calibrated: true };
}
