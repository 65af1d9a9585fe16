// loadConfig: the appliance configuration from defaults, a profile, a JSON file, NEXUS_* variables and flags.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultConfig, nexusConfigSchema, profileNames, type NexusConfig } from '../../../edge-config/config-schema.js';
import desktop from '../../../edge-config/profiles/desktop.json' with { type: 'json' };
import pi4 from '../../../edge-config/profiles/pi4-4gb.json' with { type: 'json' };
import pi5 from '../../../edge-config/profiles/pi5-8gb.json' with { type: 'json' };
import { NexusError } from '../../core/nexus-error.js';
import { builtinModelsDirectory } from '../resolve-model-directory.js';
import { formatZodIssue } from './format-zod-issue.js';
import { locateJsonError } from './locate-json-error.js';

/** Which layer a value came from, lowest precedence first. */
export type ConfigSource = 'default' | 'profile' | 'file' | 'env' | 'flag';

/** One setting that a NEXUS_* variable and a flag can override. */
export interface ConfigOverride {
  env: `NEXUS_${string}`;
  flag: `--${string}`;
  /** Dotted config path; null for NEXUS_CONFIG / --config, which locate the file instead. */
  path: string | null;
  type: 'text' | 'integer';
}

/**
 * The NEXUS_* variables and flags, with the config key each sets. Other NEXUS_* variables are not
 * settings: they are ignored and listed in `ignoredEnv` (other tools use the prefix too, e.g. for
 * an admin key), while a bad value of one of these is an error naming the variable.
 */
export const configOverrides: readonly ConfigOverride[] = [
  { env: 'NEXUS_HOST', flag: '--host', path: 'host', type: 'text' },
  { env: 'NEXUS_PORT', flag: '--port', path: 'port', type: 'integer' },
  { env: 'NEXUS_ADMIN_PORT', flag: '--admin-port', path: 'adminPort', type: 'integer' },
  { env: 'NEXUS_DATA_DIR', flag: '--data-dir', path: 'dataDir', type: 'text' },
  { env: 'NEXUS_MODEL', flag: '--model', path: 'model', type: 'text' },
  { env: 'NEXUS_CONFIG', flag: '--config', path: null, type: 'text' },
  { env: 'NEXUS_DTYPE', flag: '--dtype', path: 'dtype', type: 'text' },
  { env: 'NEXUS_BACKEND', flag: '--backend', path: 'backend', type: 'text' },
  { env: 'NEXUS_THREADS', flag: '--threads', path: 'threads', type: 'integer' },
  { env: 'NEXUS_PROFILE', flag: '--profile', path: 'profile', type: 'text' },
  { env: 'NEXUS_TEACHER_URL', flag: '--teacher-url', path: 'teacher.url', type: 'text' },
  { env: 'NEXUS_MODEL_MIRROR', flag: '--model-mirror', path: 'modelMirror', type: 'text' },
  { env: 'NEXUS_LOG_LEVEL', flag: '--log-level', path: 'logs.level', type: 'text' },
];

/** The shipped profiles (edge-config/profiles/*.json), imported so that the build carries them. */
const profiles: Record<(typeof profileNames)[number], unknown> = { 'pi4-4gb': pi4, 'pi5-8gb': pi5, desktop };

/** Config keys holding file paths, resolved against `cwd` when relative. */
const pathKeys = [['dataDir'], ['modelsDir'], ['logs', 'file'], ['tls', 'cert'], ['tls', 'key'], ['auth', 'keysFile']];

export interface LoadConfigOptions {
  /** Parsed command-line options, camelCase (commander's `opts()`) or kebab-case; others are ignored. */
  flags?: Readonly<Record<string, unknown>>;
  /** Default process.env. An empty variable counts as unset. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Relative paths (the config file's, dataDir, modelsDir, logs.file, tls.*, auth.keysFile) resolve against it; default process.cwd(). */
  cwd?: string;
}

export interface LoadedConfig {
  config: NexusConfig;
  /** Where each value of `config` came from, by dotted path (`queue.size`: 'file'). */
  sources: Record<string, ConfigSource>;
  /** The config file read, if any. */
  configPath?: string;
  /** The config file named by --config / NEXUS_CONFIG, else <dataDir>/config.json, whether or not it exists. */
  configFile: string;
  /** NEXUS_* variables that are set but are not settings (see configOverrides). */
  ignoredEnv: string[];
}

type Json = Record<string, unknown>;

/** A layer of values and how an error in it names a key. */
interface Layer {
  source: ConfigSource;
  values: Json;
  keyFor(issuePath: string, leaf: string[]): string;
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const invalid = (key: string, reason: string, details: Json = {}) => new NexusError('CONFIG_INVALID', { key, reason, ...details });

/** Sets without invoking setters, so a `__proto__` key from JSON stays an ordinary (unknown) key. */
function define(target: Json, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Layers `patch` over `target` as RFC 7396 JSON Merge Patch does: objects merge, null removes, the rest replaces. */
function mergePatch(target: Json, patch: Json): Json {
  const out: Json = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    const current = Object.hasOwn(out, key) ? out[key] : undefined;
    if (value === null) delete out[key];
    else if (isObject(value)) define(out, key, mergePatch(isObject(current) ? current : {}, value));
    else define(out, key, value);
  }
  return out;
}

/** Each leaf (non-object value, null included) with its path. */
function leaves(value: Json, prefix: string[] = []): Array<[string[], unknown]> {
  return Object.entries(value).flatMap(([key, child]) => (isObject(child) ? leaves(child, [...prefix, key]) : [[[...prefix, key], child] as [string[], unknown]]));
}

function setPath(target: Json, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Json;
  node[keys[keys.length - 1]] = value;
}

/** Text for the "expected an integer …" error, from the schema's own bounds. */
function integerRange(key: string): string {
  const inner = nexusConfigSchema.shape[key as 'port' | 'adminPort' | 'threads'].unwrap();
  return inner.maxValue === Number.MAX_SAFE_INTEGER ? `≥ ${inner.minValue}` : `${inner.minValue}–${inner.maxValue}`;
}

const showRaw = (raw: unknown) => (typeof raw === 'string' ? JSON.stringify(raw) : String(raw));

/** Turns a raw variable or flag value into the setting's type, or throws naming `label`. */
function coerce(setting: ConfigOverride, raw: unknown, label: string): string | number {
  if (setting.type === 'integer') {
    if (typeof raw === 'number' && Number.isSafeInteger(raw)) return raw;
    if (typeof raw === 'string' && /^\s*[+-]?\d{1,15}\s*$/.test(raw)) return Number(raw);
    throw invalid(label, `expected an integer ${integerRange(setting.path ?? '')}, got ${showRaw(raw)}`);
  }
  if (typeof raw === 'string' && raw !== '') return raw;
  throw invalid(label, `expected a non-empty string, got ${showRaw(raw)}`);
}

/** The env or flag layer, and the config file it names (--config / NEXUS_CONFIG). */
function overrideLayer(source: 'env' | 'flag', read: (setting: ConfigOverride) => unknown) {
  const values: Json = {};
  const names = new Map<string, string>();
  let configFile: { file: string; label: string } | undefined;
  for (const setting of configOverrides) {
    const raw = read(setting);
    if (raw === undefined) continue;
    const label = source === 'env' ? setting.env : setting.flag;
    const value = coerce(setting, raw, label);
    if (setting.path === null) configFile = { file: String(value), label };
    else (setPath(values, setting.path, value), names.set(setting.path, label));
  }
  const layer: Layer = { source, values, keyFor: (_, leaf) => names.get(leaf.join('.')) ?? leaf.join('.') };
  return { layer, configFile };
}

function flagValue(flags: Readonly<Record<string, unknown>>, flag: string): unknown {
  const kebab = flag.slice(2);
  const camel = kebab.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
  return flags[camel] ?? flags[kebab];
}

const MAX_DEPTH = 16;

/** True when objects or arrays nest more than `limit` levels (stops looking past the limit). */
function deeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return limit === 0 || Object.values(value).some((child) => deeperThan(child, limit - 1));
}

/** Reads and parses the config file; undefined when the default one is absent. */
async function readConfigFile(file: string, shown: string, namedBy?: string): Promise<Json | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (namedBy === undefined && code === 'ENOENT') return undefined;
    // The default file's directory (the data directory) is a file: say that, not ENOTDIR on config.json.
    if (namedBy === undefined && code === 'ENOTDIR') throw invalid('dataDir', `${path.dirname(file)} is a file, not a directory: the data directory must be a directory (or one that can be made)`, { file });
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw invalid(namedBy ?? shown, `cannot read the config file ${shown}: ${why}`, { file });
  }
  text = text.replace(/^\uFEFF/, '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const where = locateJsonError(text);
    const reason = where
      ? `invalid JSON at line ${where.line}, column ${where.column}: ${where.reason}`
      : `invalid JSON: ${(error as Error).message.replace(/, ".*$/s, '')}`;
    throw invalid(shown, reason, { file, ...(where && { line: where.line, column: where.column }) });
  }
  if (!isObject(json)) throw invalid(shown, `expected a JSON object at the top level, got ${Array.isArray(json) ? 'an array' : json === null ? 'null' : `a ${typeof json}`}`, { file });
  // The merge below recurses; the schema is 3 levels deep, so a deeper file is wrong anyway.
  if (deeperThan(json, MAX_DEPTH)) throw invalid(shown, `expected objects nested at most ${MAX_DEPTH} levels deep`, { file });
  return json;
}

type Origin = { layer: Layer; leaf: string[] };

const inside = (outer: string[], inner: string[]) => outer.length <= inner.length && outer.every((key, i) => key === inner[i]);

/** The leaf paths each layer still decides after merging: an upper layer's leaf replaces what lower ones had at, above or under it. */
function effectiveOrigins(layers: Layer[]): Origin[] {
  let origins: Origin[] = [];
  for (const layer of layers) {
    for (const [leaf, value] of leaves(layer.values)) {
      origins = origins.filter((o) => !inside(leaf, o.leaf) && !inside(o.leaf, leaf));
      if (value !== null) origins.push({ layer, leaf });
    }
  }
  return origins;
}

/** Which origin set the value at `segments`: itself or an ancestor. */
function originOf(origins: Origin[], segments: string[]): Origin | undefined {
  return origins.find((o) => inside(o.leaf, segments));
}

/**
 * The origin to blame for an issue at `segments`: the one that set it, else the one sharing the
 * longest path prefix (a sibling for a rule across keys, such as tls.cert without tls.key).
 */
function blame(origins: Origin[], segments: string[]): Origin | undefined {
  const shared = (o: Origin) => {
    let n = 0;
    while (n < o.leaf.length && o.leaf[n] === segments[n]) n++;
    return n;
  };
  // On a tie the later origin, from the higher layer, wins.
  const near = (best: Origin | undefined, o: Origin) => (shared(o) > 0 && shared(o) >= (best ? shared(best) : 0) ? o : best);
  return originOf(origins, segments) ?? origins.reduce<Origin | undefined>(near, undefined);
}

/** The zod issues of a failed parse as one CONFIG_INVALID naming the first key and the layer it came from. */
function configError(layers: Layer[], issues: Parameters<typeof formatZodIssue>[0][]): NexusError {
  const origins = effectiveOrigins(layers);
  const problems = issues.map((issue) => {
    const formatted = formatZodIssue(issue, nexusConfigSchema);
    const segments = [...issue.path, ...(issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [])].map(String);
    const origin = blame(origins, segments);
    const key = origin ? origin.layer.keyFor(formatted.path, origin.leaf) : formatted.path || '(root)';
    return { key, path: formatted.path, source: origin?.layer.source ?? 'default', reason: formatted.reason };
  });
  const [first, ...rest] = problems;
  const more = rest.length === 0 ? '' : ` (and ${rest.length} more: ${rest.slice(0, 3).map((p) => `[${p.key}] ${p.reason}`).join('; ')}${rest.length > 3 ? '; …' : ''})`;
  return invalid(first.key, first.reason + more, { path: first.path, source: first.source, problems: problems.map((p) => `[${p.key}] ${p.reason}`) });
}

/** Dotted path → source for every value in the final config. */
function sourcesOf(layers: Layer[], config: NexusConfig): Record<string, ConfigSource> {
  const origins = effectiveOrigins(layers);
  return Object.fromEntries(leaves(config as Json).map(([leaf]) => [leaf.join('.'), originOf(origins, leaf)?.layer.source ?? 'default']));
}

/** A path relative to `cwd` when inside it, for messages. */
const shownPath = (cwd: string, file: string) => (path.relative(cwd, file).startsWith('..') ? file : path.relative(cwd, file));

/**
 * Loads the configuration. Precedence, lowest first: schema defaults < profile (`profile` from
 * --profile, NEXUS_PROFILE or the file) < config file (JSON at --config / NEXUS_CONFIG, else
 * `<dataDir>/config.json` if it exists, dataDir taken from --data-dir / NEXUS_DATA_DIR / default)
 * < NEXUS_* variables < flags. Layers merge as JSON Merge Patch: `null` in the file resets a key
 * to its default. Relative paths resolve against `cwd`.
 * Throws NexusError CONFIG_INVALID whose key names the variable (`NEXUS_PORT`), the flag
 * (`--threads`), or the file and dotted path (`config.json: queue.size`).
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const flags = options.flags ?? {};
  const fromEnv = overrideLayer('env', (s) => (env[s.env] === '' ? undefined : env[s.env]));
  const fromFlags = overrideLayer('flag', (s) => flagValue(flags, s.flag));

  const named = fromFlags.configFile ?? fromEnv.configFile;
  const dataDir = String(fromFlags.layer.values.dataDir ?? fromEnv.layer.values.dataDir ?? defaultConfig().dataDir);
  const file = path.resolve(cwd, named?.file ?? path.join(dataDir, 'config.json'));
  const shown = shownPath(cwd, file);
  const fileValues = await readConfigFile(file, shown, named?.label);

  const layers: Layer[] = [];
  const profile = fromFlags.layer.values.profile ?? fromEnv.layer.values.profile ?? fileValues?.profile;
  // An unknown profile name is left to the schema, which names the layer that gave it.
  if (typeof profile === 'string' && Object.hasOwn(profiles, profile)) {
    layers.push({ source: 'profile', values: profiles[profile as keyof typeof profiles] as Json, keyFor: (p) => `profile ${profile}: ${p}` });
  }
  if (fileValues) layers.push({ source: 'file', values: fileValues, keyFor: (p) => `${shown}: ${p}` });
  layers.push(fromEnv.layer, fromFlags.layer);

  const merged = layers.reduce<Json>((out, layer) => mergePatch(out, layer.values), {});
  const parsed = nexusConfigSchema.safeParse(merged, { reportInput: true });
  if (!parsed.success) throw configError(layers, parsed.error.issues);

  const config = parsed.data;
  for (const keys of pathKeys) {
    const parent = keys.slice(0, -1).reduce<Json>((node, key) => node[key] as Json, config as Json);
    const last = keys[keys.length - 1];
    if (typeof parent[last] === 'string') parent[last] = path.resolve(cwd, parent[last]);
  }
  const sources = sourcesOf(layers, config);
  // Not the working directory's models/: a pull from another directory went where the appliance never looked.
  if (sources.modelsDir === 'default') config.modelsDir = builtinModelsDirectory;
  const ignoredEnv = Object.keys(env).filter((name) => name.startsWith('NEXUS_') && !configOverrides.some((s) => s.env === name));
  return { config, sources, configPath: fileValues ? file : undefined, configFile: file, ignoredEnv };
}
