// Property tests of loadConfig: whatever JSON, text or variables it is fed, it loads or throws CONFIG_INVALID, nothing else.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, nexusConfigSchema } from '../../../edge-config/config-schema.js';
import { isNexusError } from '../../../runtime/core/nexus-error.js';
import { configOverrides, loadConfig, type LoadConfigOptions } from '../../../runtime/node/config/load-config.js';

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), 'nexus-config-prop-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** Every dotted path of the default config, objects included, so generated files hit real keys. */
function knownPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => [`${prefix}${key}`, ...knownPaths(child, `${prefix}${key}.`)]);
}
const paths = [...knownPaths(defaultConfig()), 'profile', 'contextLength', 'gate.threshold', 'teacher.url', 'tls.cert', 'tls.key', 'modelMirror'];

const defaults = defaultConfig() as unknown as Record<string, unknown>;
const defaultAt = (dotted: string) => dotted.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], defaults);
/** A key and a value for it: mostly its default (valid), else something plausible or anything at all. */
const entry = fc.constantFrom(...paths).chain((dotted) =>
  fc.tuple(
    fc.constant(dotted),
    fc.oneof(
      { arbitrary: fc.constant(defaultAt(dotted) ?? null), weight: 4 },
      { arbitrary: fc.oneof(fc.integer({ min: -5, max: 70_000 }), fc.constantFrom('q4', '0.0.0.0', 'pi4-4gb', 'http://x.lan')), weight: 1 },
      { arbitrary: fc.jsonValue(), weight: 1 },
    ),
  ),
);
const nearlyValid = fc.array(entry, { maxLength: 8 }).map((entries) => {
  const out: Record<string, unknown> = {};
  for (const [dotted, value] of entries) {
    const keys = dotted.split('.');
    let node = out;
    for (const key of keys.slice(0, -1)) node = (typeof node[key] === 'object' && node[key] !== null && !Array.isArray(node[key]) ? node[key] : (node[key] = {})) as Record<string, unknown>;
    node[keys[keys.length - 1]] = value;
  }
  return out;
});
const anyObject = fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 6 });
const envArb = fc.dictionary(fc.constantFrom(...configOverrides.map((s) => s.env)).filter((name) => name !== 'NEXUS_CONFIG'), fc.oneof(fc.string(), fc.constantFrom('8080', '0', 'q8', 'debug', 'http://t.lan')), { maxKeys: 4 });

/** Loads, and checks that the outcome is a valid config (true) or a CONFIG_INVALID naming a key (false). */
async function loadsOrNamesTheKey(text: string, options: LoadConfigOptions = {}): Promise<boolean> {
  await writeFile(path.join(cwd, 'config.json'), text);
  try {
    const { config } = await loadConfig({ cwd, env: {}, ...options, flags: { config: 'config.json', ...options.flags } });
    expect(nexusConfigSchema.safeParse(config).success).toBe(true);
    return true;
  } catch (error) {
    if (!isNexusError(error, 'CONFIG_INVALID')) throw error;
    expect(typeof error.details.key).toBe('string');
    expect(error.message.startsWith(`[${String(error.details.key)}] `)).toBe(true);
    return false;
  }
}

describe('loadConfig never throws anything but CONFIG_INVALID', () => {
  it('for random JSON objects', async () => {
    await fc.assert(fc.asyncProperty(anyObject, async (value) => void (await loadsOrNamesTheKey(JSON.stringify(value)))), { numRuns: 200 });
  });

  it('for objects built from real keys with random values, under random variables', async () => {
    let loaded = 0;
    const run = async (value: Record<string, unknown>, env: Record<string, string>) => void (loaded += Number(await loadsOrNamesTheKey(JSON.stringify(value), { env })));
    await fc.assert(fc.asyncProperty(nearlyValid, envArb, run), { numRuns: 300 });
    // The generator must reach valid configs too, or the property says little.
    expect(loaded).toBeGreaterThan(5);
  });

  it('for any JSON value and any text', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(fc.json(), fc.string()), async (text) => void (await loadsOrNamesTheKey(text))), { numRuns: 200 });
  });
});
