// Tests of loadConfig: layer precedence, every NEXUS_* variable and flag, and errors that name the key.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isNexusError, type NexusError } from '../../../runtime/core/nexus-error.js';
import { configOverrides, loadConfig, type LoadConfigOptions } from '../../../runtime/node/config/load-config.js';
import { builtinModelsDirectory } from '../../../runtime/node/resolve-model-directory.js';

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), 'nexus-config-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const load = (options: LoadConfigOptions = {}) => loadConfig({ cwd, env: {}, ...options });
const writeJson = async (name: string, value: unknown) => {
  const file = path.join(cwd, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
};

/** The CONFIG_INVALID that loading throws (fails the test on anything else). */
async function failure(options: LoadConfigOptions = {}): Promise<NexusError> {
  const error: unknown = await load(options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isNexusError(error, 'CONFIG_INVALID'), `expected CONFIG_INVALID, got ${String(error)}`).toBe(true);
  return error as NexusError;
}

describe('a data directory that is a file', () => {
  it('is CONFIG_INVALID naming dataDir and the file, not ENOTDIR on its config.json', async () => {
    const file = await writeJson('not-a-dir', 'x');
    const error = await failure({ flags: { dataDir: file } });
    expect(error.message).toBe(`[dataDir] ${file} is a file, not a directory: the data directory must be a directory (or one that can be made)`);
  });
});

describe('defaults', () => {
  it('gives the schema defaults with no file, variables or flags', async () => {
    const { config, sources, configPath, ignoredEnv } = await load();
    expect(config.port).toBe(8080);
    expect(config.dataDir).toBe(path.join(cwd, '.nexus'));
    // The installation's models, not the working directory's: a pull from another directory went where the appliance never looked.
    expect(config.modelsDir).toBe(builtinModelsDirectory);
    expect(config.modelsDir).not.toBe(path.join(cwd, 'models'));
    expect(configPath).toBeUndefined();
    expect(ignoredEnv).toEqual([]);
    expect(new Set(Object.values(sources))).toEqual(new Set(['default']));
    expect(sources).toHaveProperty(['queue.size'], 'default');
  });

  it('reads process.env when no env is given', async () => {
    process.env.NEXUS_THREADS = '3';
    try {
      expect((await loadConfig({ cwd })).config.threads).toBe(3);
    } finally {
      delete process.env.NEXUS_THREADS;
    }
  });
});

describe('the config file', () => {
  it('is <dataDir>/config.json when it exists', async () => {
    const file = await writeJson('.nexus/config.json', { queue: { size: 4 } });
    const { config, configPath, sources } = await load();
    expect(config.queue.size).toBe(4);
    expect(configPath).toBe(file);
    expect(sources['queue.size']).toBe('file');
    expect(sources['queue.concurrency']).toBe('default');
  });

  it('follows --data-dir and NEXUS_DATA_DIR to find the default file', async () => {
    await writeJson('state/config.json', { threads: 2 });
    expect((await load({ flags: { dataDir: 'state' } })).config.threads).toBe(2);
    expect((await load({ env: { NEXUS_DATA_DIR: path.join(cwd, 'state') } })).config.threads).toBe(2);
  });

  it('is the file named by --config or NEXUS_CONFIG, relative to cwd', async () => {
    const file = await writeJson('etc/nexus.json', { threads: 6 });
    expect(await load({ flags: { config: 'etc/nexus.json' } })).toMatchObject({ configPath: file, config: { threads: 6 } });
    expect(await load({ env: { NEXUS_CONFIG: file } })).toMatchObject({ configPath: file, config: { threads: 6 } });
  });

  it('must exist when named explicitly', async () => {
    const error = await failure({ env: { NEXUS_CONFIG: 'missing.json' } });
    expect(error.message).toBe('[NEXUS_CONFIG] cannot read the config file missing.json: no such file');
    expect((await failure({ flags: { config: 'missing.json' } })).details.key).toBe('--config');
  });

  it('names the file and position of invalid JSON', async () => {
    await writeJson('bad.json', '{\n  "port": 9000,\n}\n');
    const error = await failure({ flags: { config: 'bad.json' } });
    expect(error.message).toBe('[bad.json] invalid JSON at line 3, column 1: trailing comma before "}"');
    expect(error.details).toMatchObject({ line: 3, column: 1 });
  });

  it('needs an object at the top level', async () => {
    await writeJson('list.json', '[1, 2]');
    expect((await failure({ flags: { config: 'list.json' } })).message).toBe('[list.json] expected a JSON object at the top level, got an array');
  });

  it('refuses absurd nesting before merging it', async () => {
    await writeJson('deep.json', `{"x": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
    expect((await failure({ flags: { config: 'deep.json' } })).message).toBe('[deep.json] expected objects nested at most 16 levels deep');
  });

  it('accepts a UTF-8 byte order mark', async () => {
    await writeJson('bom.json', '\uFEFF{"threads": 2}');
    expect((await load({ flags: { config: 'bom.json' } })).config.threads).toBe(2);
  });

  it('names an unknown key with the file, and suggests the near one', async () => {
    await writeJson('c.json', { queue: { sise: 3 } });
    const error = await failure({ flags: { config: 'c.json' } });
    expect(error.message).toBe('[c.json: queue.sise] unknown key; did you mean "size"?');
    expect(error.details).toMatchObject({ key: 'c.json: queue.sise', path: 'queue.sise', source: 'file' });
  });

  it('names a bad value with the file and dotted path', async () => {
    await writeJson('c.json', { queue: { size: 0 } });
    expect((await failure({ flags: { config: 'c.json' } })).message).toBe('[c.json: queue.size] expected number ≥ 1, got 0');
  });

  it('names a half-configured tls with the file', async () => {
    await writeJson('c.json', { tls: { cert: 'server.pem' } });
    const error = await failure({ flags: { config: 'c.json' } });
    expect(error.message).toBe('[c.json: tls.key] expected both tls.cert and tls.key (PEM file paths) or neither; only tls.cert is set');
  });

  it('lists every problem in details and counts the others in the message', async () => {
    await writeJson('c.json', { port: 'x', threads: 0 });
    const error = await failure({ flags: { config: 'c.json' } });
    expect(error.details.problems).toEqual(['[c.json: port] expected a number, got "x"', '[c.json: threads] expected number ≥ 1, got 0']);
    expect(error.message).toContain('(and 1 more: [c.json: threads]');
  });

  it('resolves relative paths against cwd', async () => {
    await writeJson('c.json', { logs: { file: 'log/n.log' }, tls: { cert: 'c.pem', key: '/abs/k.pem' }, auth: { keysFile: 'keys.json' } });
    const { config } = await load({ flags: { config: 'c.json' } });
    expect(config.logs.file).toBe(path.join(cwd, 'log/n.log'));
    expect(config.tls).toEqual({ cert: path.join(cwd, 'c.pem'), key: '/abs/k.pem' });
    expect(config.auth.keysFile).toBe(path.join(cwd, 'keys.json'));
  });
});

describe('precedence: defaults < profile < file < env < flags', () => {
  it('lets each layer override the one below', async () => {
    await writeJson('c.json', {});
    expect((await load({ flags: { config: 'c.json' } })).config.threads).toBe(1);
    const flags = { config: 'c.json', profile: 'pi5-8gb' };
    expect(await load({ flags })).toMatchObject({ config: { threads: 2, profile: 'pi5-8gb' }, sources: { threads: 'profile' } });
    await writeJson('c.json', { threads: 3 });
    expect(await load({ flags })).toMatchObject({ config: { threads: 3 }, sources: { threads: 'file' } });
    const env = { NEXUS_THREADS: '4' };
    expect(await load({ flags, env })).toMatchObject({ config: { threads: 4 }, sources: { threads: 'env' } });
    expect(await load({ flags: { ...flags, threads: '5' }, env })).toMatchObject({ config: { threads: 5 }, sources: { threads: 'flag' } });
  });

  it('takes the profile from the file, NEXUS_PROFILE, then --profile', async () => {
    await writeJson('c.json', { profile: 'pi4-4gb' });
    expect((await load({ flags: { config: 'c.json' } })).config).toMatchObject({ profile: 'pi4-4gb', host: '0.0.0.0', threads: 1 });
    const env = { NEXUS_PROFILE: 'pi5-8gb' };
    expect((await load({ flags: { config: 'c.json' }, env })).config).toMatchObject({ profile: 'pi5-8gb', threads: 2 });
    expect((await load({ flags: { config: 'c.json', profile: 'desktop' }, env })).config).toMatchObject({ profile: 'desktop', host: '127.0.0.1' });
  });

  it('merges nested objects key by key, and null in the file resets a key to its default', async () => {
    await writeJson('c.json', { queue: { concurrency: 2 }, contextLength: null });
    const { config, sources } = await load({ flags: { config: 'c.json', profile: 'pi4-4gb' } });
    expect(config.queue).toMatchObject({ size: 8, concurrency: 2 });
    expect(config.contextLength).toBeUndefined();
    expect(sources).toMatchObject({ 'queue.size': 'profile', 'queue.concurrency': 'file', 'budgets.serving.memoryMb': 'profile' });
  });

  it('names an unknown profile with the layer that gave it', async () => {
    expect((await failure({ flags: { profile: 'pi9' } })).message).toBe('[--profile] expected one of "pi4-4gb" | "pi5-8gb" | "desktop", got "pi9"');
    expect((await failure({ env: { NEXUS_PROFILE: 'pi9' } })).details.key).toBe('NEXUS_PROFILE');
  });
});

describe('NEXUS_* variables and flags', () => {
  const valid: Record<string, [string, unknown]> = {
    NEXUS_HOST: ['0.0.0.0', '0.0.0.0'],
    NEXUS_PORT: ['9090', 9090],
    NEXUS_ADMIN_PORT: ['9091', 9091],
    NEXUS_DATA_DIR: ['/srv/nexus', '/srv/nexus'],
    NEXUS_MODEL: ['smollm2-135m-instruct', 'smollm2-135m-instruct'],
    NEXUS_DTYPE: ['q4', 'q4'],
    NEXUS_BACKEND: ['auto', 'auto'],
    NEXUS_THREADS: ['4', 4],
    NEXUS_PROFILE: ['desktop', 'desktop'],
    NEXUS_TEACHER_URL: ['http://teacher.lan:11434/v1', 'http://teacher.lan:11434/v1'],
    NEXUS_MODEL_MIRROR: ['https://mirror.lan/models', 'https://mirror.lan/models'],
    NEXUS_LOG_LEVEL: ['debug', 'debug'],
  };
  const settings = configOverrides.filter((s) => s.path !== null);

  it('covers every variable of the table in these tests', () => {
    expect(Object.keys(valid).sort()).toEqual(settings.map((s) => s.env).sort());
  });

  it.each(settings)('$env sets $path', async ({ env, path: key }) => {
    const [raw, expected] = valid[env];
    const { config, sources } = await load({ env: { [env]: raw } });
    expect(key!.split('.').reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], config)).toEqual(expected);
    expect(sources[key!]).toBe('env');
  });

  it.each(settings)('$flag sets $path, camelCase or kebab-case', async ({ env, flag, path: key }) => {
    const [raw, expected] = valid[env];
    const kebab = flag.slice(2);
    const camel = kebab.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    for (const name of new Set([camel, kebab])) {
      const { config, sources } = await load({ flags: { [name]: raw } });
      expect(key!.split('.').reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], config)).toEqual(expected);
      expect(sources[key!]).toBe('flag');
    }
  });

  it('takes numbers from a parser as they are', async () => {
    expect((await load({ flags: { port: 9000, threads: 2 } })).config).toMatchObject({ port: 9000, threads: 2 });
  });

  it('treats an empty variable as unset', async () => {
    expect((await load({ env: { NEXUS_PORT: '', NEXUS_MODEL: '' } })).config).toMatchObject({ port: 8080, model: 'lexicon-tiny' });
  });

  it('ignores flags it does not know (the CLI has others)', async () => {
    expect((await load({ flags: { json: true, follow: false } })).config.port).toBe(8080);
  });

  it('lists other NEXUS_* variables as ignored', async () => {
    const { ignoredEnv, config } = await load({ env: { NEXUS_PORTT: '1', NEXUS_ADMIN_KEY: 'k', HOME: '/root' } });
    expect(ignoredEnv.sort()).toEqual(['NEXUS_ADMIN_KEY', 'NEXUS_PORTT']);
    expect(config.port).toBe(8080);
  });

  it.each([
    [{ NEXUS_PORT: 'abc' }, '[NEXUS_PORT] expected an integer 0–65535, got "abc"'],
    [{ NEXUS_PORT: '8080.5' }, '[NEXUS_PORT] expected an integer 0–65535, got "8080.5"'],
    [{ NEXUS_PORT: '70000' }, '[NEXUS_PORT] expected number ≤ 65535, got 70000'],
    [{ NEXUS_ADMIN_PORT: '8080' }, '[NEXUS_ADMIN_PORT] expected a port other than port (8080)'],
    [{ NEXUS_THREADS: 'two' }, '[NEXUS_THREADS] expected an integer 1–256, got "two"'],
    [{ NEXUS_THREADS: '0' }, '[NEXUS_THREADS] expected number ≥ 1, got 0'],
    [{ NEXUS_DTYPE: 'q5' }, '[NEXUS_DTYPE] expected one of "q4" | "q8" | "fp32", got "q5"'],
    [{ NEXUS_BACKEND: 'gpu' }, '[NEXUS_BACKEND] expected one of "wasm" | "native" | "auto", got "gpu"'],
    [{ NEXUS_LOG_LEVEL: 'loud' }, '[NEXUS_LOG_LEVEL] expected one of "debug" | "info" | "warn" | "error", got "loud"'],
    [{ NEXUS_TEACHER_URL: 'teacher.lan' }, '[NEXUS_TEACHER_URL] expected a URL (http:// or https://), got "teacher.lan"'],
    [{ NEXUS_MODEL_MIRROR: 'file:///srv' }, '[NEXUS_MODEL_MIRROR] expected a URL (http:// or https://), got "file:///srv"'],
  ])('rejects %j naming the variable', async (env, message) => {
    expect((await failure({ env })).message).toBe(message);
  });

  it.each([
    [{ port: 'abc' }, '[--port] expected an integer 0–65535, got "abc"'],
    [{ threads: 1.5 }, '[--threads] expected an integer 1–256, got 1.5'],
    [{ host: true }, '[--host] expected a non-empty string, got true'],
    [{ model: '' }, '[--model] expected a non-empty string, got ""'],
    [{ 'log-level': 'loud' }, '[--log-level] expected one of "debug" | "info" | "warn" | "error", got "loud"'],
  ])('rejects flags %j naming the flag', async (flags, message) => {
    expect((await failure({ flags })).message).toBe(message);
  });

  it('lets a flag beat both the variable and the file', async () => {
    await writeJson('c.json', { port: 1 });
    const { config, sources } = await load({ env: { NEXUS_PORT: '9000' }, flags: { config: 'c.json', port: 9001 } });
    expect(config.port).toBe(9001);
    expect(sources.port).toBe('flag');
  });
});
