// Tests of the appliance config schema: defaults, strictness, cross-key rules, and the shipped profiles.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configBackends, configDtypes, defaultConfig, nexusConfigSchema, profileNames } from '../../edge-config/config-schema.js';

const profilesDir = new URL('../../edge-config/profiles/', import.meta.url);
const readProfile = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`${name}.json`, profilesDir), 'utf8'));
const issuesOf = (input: unknown) => nexusConfigSchema.safeParse(input).error?.issues ?? [];

describe('defaultConfig', () => {
  it('fills every default from the spec', () => {
    const config = defaultConfig();
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      adminHost: '127.0.0.1',
      adminPort: 8081,
      allowNonLoopbackAdmin: false,
      dataDir: '.nexus',
      model: 'lexicon-tiny',
      modelsDir: 'models',
      dtype: 'q8',
      backend: 'wasm',
      threads: 1,
      queue: { size: 16, concurrency: 1, retryAfterSeconds: 2 },
      generation: { maxTokens: 128, temperature: 0 },
      gate: { enabled: true },
      learner: { capacity: 2048 },
      teacher: { timeoutMs: 15_000 },
      checkpoint: { intervalSeconds: 300, keep: 5 },
      auth: { openLan: false },
      tls: {},
      cors: { origins: [] },
      rateLimit: { perMinutePerKey: 120, perMinutePerAddress: 60 },
      limits: { bodyBytes: 1_000_000, shutdownDeadlineMs: 10_000 },
      memory: { sampleIntervalSeconds: 30, leakThresholdMbPerHour: 5 },
      logs: { level: 'info', maxBytes: 10 * 1024 * 1024, keep: 3 },
    });
    expect(config.profile).toBeUndefined();
    expect(config.contextLength).toBeUndefined();
    expect(config.gate.threshold).toBeUndefined();
    expect(config.teacher.url).toBeUndefined();
    expect(config.modelMirror).toBeUndefined();
  });

  it('returns a fresh object each time', () => {
    const a = defaultConfig();
    a.queue.size = 1;
    expect(defaultConfig().queue.size).toBe(16);
  });

  it('keeps sibling defaults when a nested object is given in part', () => {
    const config = nexusConfigSchema.parse({ queue: { size: 4 }, budgets: { serving: { cpuPercent: 50 } } });
    expect(config.queue).toMatchObject({ size: 4, concurrency: 1 });
    expect(config.budgets.serving).toEqual({ cpuPercent: 50, memoryMb: 2048 });
    expect(config.budgets.idle.cpuPercent).toBe(25);
  });
});

describe('strictness', () => {
  it('rejects an unknown key at the root', () => {
    expect(issuesOf({ prot: 1 })).toMatchObject([{ code: 'unrecognized_keys', keys: ['prot'], path: [] }]);
  });

  const sections = Object.entries(defaultConfig()).filter(([, value]) => typeof value === 'object' && !Array.isArray(value));
  it.each(sections.map(([name]) => name))('rejects an unknown key inside %s', (section) => {
    expect(issuesOf({ [section]: { bogus: 1 } })).toMatchObject([{ code: 'unrecognized_keys', keys: ['bogus'], path: [section] }]);
  });

  it('rejects an unknown key inside budgets.serving', () => {
    expect(issuesOf({ budgets: { serving: { gpu: 1 } } })).toMatchObject([{ path: ['budgets', 'serving'], keys: ['gpu'] }]);
  });
});

describe('values', () => {
  it.each([
    [{ port: -1 }, ['port']],
    [{ port: 65536 }, ['port']],
    [{ threads: 1.5 }, ['threads']],
    [{ dtype: 'q5' }, ['dtype']],
    [{ backend: 'webgpu' }, ['backend']],
    [{ queue: { size: 0 } }, ['queue', 'size']],
    [{ gate: { threshold: 1.5 } }, ['gate', 'threshold']],
    [{ generation: { topP: 0 } }, ['generation', 'topP']],
    [{ logs: { level: 'verbose' } }, ['logs', 'level']],
    [{ modelMirror: 'ftp://mirror.example' }, ['modelMirror']],
    [{ teacher: { url: 'not a url' } }, ['teacher', 'url']],
    [{ cors: { origins: ['https://ok.example', 'https://bad.example/path'] } }, ['cors', 'origins', 1]],
    [{ host: '' }, ['host']],
  ])('rejects %j at %j', (input, path) => {
    expect(issuesOf(input).map((issue) => issue.path)).toContainEqual(path);
  });

  it('accepts the enums it documents', () => {
    for (const dtype of configDtypes) expect(nexusConfigSchema.parse({ dtype }).dtype).toBe(dtype);
    for (const backend of configBackends) expect(nexusConfigSchema.parse({ backend }).backend).toBe(backend);
  });

  it('accepts "*" and origins in cors.origins', () => {
    expect(nexusConfigSchema.parse({ cors: { origins: ['*', 'http://pi.local:8080'] } }).cors.origins).toHaveLength(2);
  });
});

describe('cross-key rules', () => {
  it('needs tls.cert and tls.key together', () => {
    expect(issuesOf({ tls: { cert: 'a.pem' } })).toMatchObject([{ path: ['tls', 'key'], message: expect.stringContaining('only tls.cert is set') }]);
    expect(issuesOf({ tls: { key: 'a.key' } })).toMatchObject([{ path: ['tls', 'cert'], message: expect.stringContaining('only tls.key is set') }]);
    expect(nexusConfigSchema.parse({ tls: { cert: 'a.pem', key: 'a.key' } }).tls).toEqual({ cert: 'a.pem', key: 'a.key' });
  });

  it('needs teacher.url when teacher.model or apiKey is set', () => {
    expect(issuesOf({ teacher: { model: 'qwen' } })).toMatchObject([{ path: ['teacher', 'url'] }]);
    expect(nexusConfigSchema.parse({ teacher: { url: 'http://teacher.lan:11434/v1', model: 'qwen' } }).teacher.model).toBe('qwen');
  });

  it('keeps the admin API on loopback unless allowed', () => {
    expect(issuesOf({ adminHost: '0.0.0.0' })).toMatchObject([{ path: ['adminHost'] }]);
    for (const adminHost of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) expect(issuesOf({ adminHost })).toEqual([]);
    expect(nexusConfigSchema.parse({ adminHost: '0.0.0.0', allowNonLoopbackAdmin: true }).adminHost).toBe('0.0.0.0');
  });

  it('needs port and adminPort to differ', () => {
    expect(issuesOf({ port: 9000, adminPort: 9000 })).toMatchObject([{ path: ['adminPort'] }]);
  });
});

describe('profiles', () => {
  it('ships one JSON file per profile name', () => {
    const files = readdirSync(profilesDir).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
    expect(files.sort()).toEqual([...profileNames].sort());
  });

  it.each(profileNames)('%s is a valid partial config', (name) => {
    const profile = readProfile(name);
    const config = nexusConfigSchema.parse(profile);
    expect(config).toMatchObject(profile);
    expect(profile).toHaveProperty('threads');
    expect(profile).toHaveProperty('dtype');
    expect(profile).toHaveProperty('contextLength');
    expect(profile).toHaveProperty('queue.size');
    expect(profile).toHaveProperty('budgets.serving');
    expect(profile).toHaveProperty('budgets.idle');
  });

  it('binds the Pi profiles to the LAN with q8 weights, 1 thread on a Pi 4 and 2 on a Pi 5', () => {
    expect(readProfile('pi4-4gb')).toMatchObject({ host: '0.0.0.0', dtype: 'q8', threads: 1 });
    expect(readProfile('pi5-8gb')).toMatchObject({ host: '0.0.0.0', dtype: 'q8', threads: 2 });
    expect(readProfile('desktop')).not.toHaveProperty('host');
  });
});
