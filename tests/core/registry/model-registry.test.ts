// Tests for the model registry: parsing models/registry.json, files per dtype, gate settings, invalid shapes, and real file sizes/SHA-256s.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultGateSettings } from '../../../runtime/core/gate/gate-settings.js';
import { filesForDtype, gateSettingsFor, parseModelRegistry, type RegistryEntry } from '../../../runtime/core/registry/model-registry.js';
import { caught } from '../../support/caught-nexus-error.js';

const registryJson: unknown = JSON.parse(readFileSync(new URL('../../../models/registry.json', import.meta.url), 'utf8'));
const modelDir = new URL('../../../models/lexicon-tiny/', import.meta.url);
const entries = parseModelRegistry(registryJson);
const lexicon = entries.find((entry) => entry.id === 'lexicon-tiny') as RegistryEntry;


const minimalEntry = () => ({
  id: 'tiny-model',
  name: 'Tiny',
  family: 'llama',
  verified: false,
  license: 'MIT',
  source: 'test',
  files: { q8: [{ path: 'onnx/model_quantized.onnx' }] },
});

describe('parseModelRegistry', () => {
  it('parses models/registry.json with lexicon-tiny', () => {
    expect(lexicon).toBeDefined();
    expect(lexicon.family).toBe('llama');
    expect(lexicon.builtin).toBe(true);
    expect(lexicon.verified).toBe(true);
    expect(lexicon.contextLength).toBe(512);
    expect(lexicon.revision).toBe('builtin');
    expect(lexicon.profiles).toEqual(expect.arrayContaining(['pi4-4gb', 'pi5-8gb', 'desktop']));
    expect(Object.keys(lexicon.files).sort()).toEqual(['common', 'q4', 'q8']);
  });

  it('applies defaults to a minimal entry', () => {
    const [entry] = parseModelRegistry({ models: [minimalEntry()] });
    expect(entry.builtin).toBe(false);
    expect(entry.revision).toBe('main');
    expect(entry.profiles).toEqual([]);
    expect(entry.gate).toEqual({});
  });

  it('accepts an empty model list and extra top-level keys', () => {
    expect(parseModelRegistry({ models: [], note: 'x', $schema_version: 1 })).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['not an object', 'registry', 'registry.'],
    ['missing models', {}, 'registry.models'],
    ['models not an array', { models: {} }, 'registry.models'],
    ['bad id', { models: [{ ...minimalEntry(), id: 'Bad ID' }] }, 'registry.models.0.id'],
    ['unknown family', { models: [minimalEntry(), { ...minimalEntry(), family: 'bert' }] }, 'registry.models.1.family'],
    ['missing verified', { models: [{ ...minimalEntry(), verified: undefined }] }, 'registry.models.0.verified'],
    ['short sha256', { models: [{ ...minimalEntry(), files: { q8: [{ path: 'a.onnx', sha256: 'abc' }] } }] }, 'registry.models.0.files.q8.0.sha256'],
    ['upper-case sha256', { models: [{ ...minimalEntry(), files: { q8: [{ path: 'a.onnx', sha256: 'A'.repeat(64) }] } }] }, 'registry.models.0.files.q8.0.sha256'],
    ['empty path', { models: [{ ...minimalEntry(), files: { q8: [{ path: '' }] } }] }, 'registry.models.0.files.q8.0.path'],
    ['negative size', { models: [{ ...minimalEntry(), files: { q8: [{ path: 'a', size: -1 }] } }] }, 'registry.models.0.files.q8.0.size'],
    [
      'gate threshold out of range',
      { models: [{ ...minimalEntry(), gate: { q8: { ...defaultGateSettings, threshold: 1.5 } } }] },
      'registry.models.0.gate.q8.threshold',
    ],
    ['gate score kind', { models: [{ ...minimalEntry(), gate: { q8: { ...defaultGateSettings, score: 'avg' } } }] }, 'registry.models.0.gate.q8.score'],
  ])('%s → MODEL_CONFIG_INVALID naming %s', (_name, json, path) => {
    const error = caught(() => parseModelRegistry(json));
    expect(error.code).toBe('MODEL_CONFIG_INVALID');
    expect(error.details.key).toBe(path);
    expect(error.message).toContain(`[${path}]`);
  });
});

describe('filesForDtype', () => {
  it.each([
    ['q8', 'onnx/model_quantized.onnx'],
    ['q4', 'onnx/model_q4.onnx'],
  ] as const)('%s: the common files plus %s, with sizes and 64-hex SHA-256s', (dtype, onnxPath) => {
    const files = filesForDtype(lexicon, dtype);
    expect(files.map((f) => f.path)).toEqual(['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', onnxPath]);
    for (const file of files) {
      expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(file.size).toBeGreaterThan(0);
    }
  });

  it('an entry without common files gives just the weights', () => {
    const [entry] = parseModelRegistry({ models: [minimalEntry()] });
    expect(filesForDtype(entry, 'q8')).toEqual([{ path: 'onnx/model_quantized.onnx' }]);
  });

  it('an unavailable dtype is DTYPE_UNAVAILABLE listing the available ones', () => {
    const error = caught(() => filesForDtype(lexicon, 'fp16'));
    expect(error.code).toBe('DTYPE_UNAVAILABLE');
    expect(error.details.dtype).toBe('fp16');
    expect(error.details.available).toBe('q4, q8');
    expect(error.message).toContain('q4, q8');
    const [entry] = parseModelRegistry({ models: [{ ...minimalEntry(), files: { common: [{ path: 'config.json' }] } }] });
    expect(caught(() => filesForDtype(entry, 'q8')).details.available).toBe('none');
  });
});

describe('gateSettingsFor', () => {
  it('returns the calibrated settings for q8 and q4 (without calibratedOn)', () => {
    expect(gateSettingsFor(lexicon, 'q8')).toEqual({
      settings: { threshold: 0.9971, k: 12, score: 'min', collapseWindow: 8, collapseThreshold: 0.1 },
      calibrated: true,
    });
    expect(gateSettingsFor(lexicon, 'q4').settings.threshold).toBe(0.9914);
    expect(gateSettingsFor(lexicon, 'q4').settings).not.toHaveProperty('calibratedOn');
  });

  it('returns a copy of the defaults for an uncalibrated dtype or no entry', () => {
    for (const result of [gateSettingsFor(lexicon, 'fp32'), gateSettingsFor(undefined, 'q8')]) {
      expect(result).toEqual({ settings: defaultGateSettings, calibrated: false });
      expect(result.settings).not.toBe(defaultGateSettings);
    }
  });
});

describe('registry vs the files on disk', () => {
  const all = [...new Map([...filesForDtype(lexicon, 'q8'), ...filesForDtype(lexicon, 'q4')].map((f) => [f.path, f])).values()];
  it.each(all.map((file) => [file.path, file] as const))('%s has the listed size and SHA-256', (_path, file) => {
    const url = new URL(file.path, modelDir);
    expect(statSync(url).size).toBe(file.size);
    expect(createHash('sha256').update(readFileSync(url)).digest('hex')).toBe(file.sha256);
  });
});
