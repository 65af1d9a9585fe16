// The appliance's configuration: one zod schema, the single source of its shape and defaults.
import * as z from 'zod';
import type { ModelDtype } from '../runtime/core/model/model-dtype.js';
import type { LogLevel } from '../runtime/core/platform/logger.js';
import { hostNameExamples, isDnsName, isIpAddress } from './host-name.js';

/** The device profiles shipped in edge-config/profiles/ (`<name>.json`). */
export const profileNames = ['pi4-4gb', 'pi5-8gb', 'desktop'] as const;
/** Weight precisions the appliance may be asked to load. */
export const configDtypes = ['q4', 'q8', 'fp32'] as const satisfies readonly ModelDtype[];
/** Inference engines: onnxruntime-web's WASM, a native engine, or the best one found. */
export const configBackends = ['wasm', 'native', 'auto'] as const;
/** Log levels, lowest first. */
export const logLevels = ['debug', 'info', 'warn', 'error'] as const satisfies readonly LogLevel[];

const MB = 1024 * 1024;
const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.number().int().min(min).max(max);
/** 0 asks the OS for any free port (tests, several appliances on one host). */
const port = int(0, 65535);
const fraction = z.number().min(0).max(1);
const text = z.string().min(1);
const httpUrl = z.url({ protocol: /^https?$/ });
/** A bind address: a name that must still resolve when the server binds, or an IP literal (0.0.0.0, ::). */
const hostName = text.superRefine((value, ctx) => {
  if (value !== '' && !isDnsName(value) && !isIpAddress(value)) ctx.addIssue({ code: 'custom', input: value, message: `expected ${hostNameExamples}, got ${JSON.stringify(value)}` });
});
/** `*` or an origin such as `https://app.example:8443` (scheme, host, optional port; no path). */
const origin = z.string().regex(/^(\*|https?:\/\/[^/\s?#]+)$/, 'expected "*" or an origin such as https://host:port');

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);

/** A mode's resource budget: CPU in percent of one core as `top` shows it (200 = two full cores). */
const budget = (cpuPercent: number, memoryMb: number) =>
  z.object({ cpuPercent: z.number().positive().max(100 * 1024).default(cpuPercent), memoryMb: int(16).default(memoryMb) }).strict().prefault({});

const queue = z
  .object({
    /** Requests waiting beyond the running ones; a full queue answers 429 with Retry-After. */
    size: int(1).default(16),
    /** Generations run at once. */
    concurrency: int(1).default(1),
    retryAfterSeconds: int(1).default(2),
    /** A request (queue wait and generation) is cancelled after this long. */
    requestTimeoutMs: int(1).default(120_000),
  })
  .strict();

const generation = z
  .object({
    maxTokens: int(1).default(128),
    /** 0 = greedy. */
    temperature: z.number().min(0).max(10).default(0),
    /** 0 = off. */
    topK: int(0).default(0),
    /** 1 = off. */
    topP: z.number().gt(0).max(1).default(1),
    /** 1 = off; > 1 discourages repeats. */
    repetitionPenalty: z.number().positive().max(10).default(1),
    seed: int(0).optional(),
  })
  .strict();

const gate = z
  .object({
    enabled: z.boolean().default(true),
    /** Overrides the calibrated threshold when set. */
    threshold: fraction.optional(),
    /** Overrides the calibrated number of answer tokens the gate scores before it decides. */
    k: int(1, 256).optional(),
    /** Overrides the calibrated confidence under which an answered text is stopped. */
    collapseThreshold: fraction.optional(),
  })
  .strict();

const teacher = z
  .object({
    /** OpenAI-compatible base URL; no teacher is used without it. */
    url: httpUrl.optional(),
    model: text.optional(),
    apiKey: text.optional(),
    timeoutMs: int(1).default(15_000),
  })
  .strict()
  .refine((t) => t.url !== undefined || (t.model === undefined && t.apiKey === undefined), {
    path: ['url'],
    message: 'expected a URL: teacher.model / teacher.apiKey are set but teacher.url is not',
  });

const tls = z
  .object({ cert: text.optional(), key: text.optional() })
  .strict()
  .superRefine((t, ctx) => {
    if ((t.cert === undefined) === (t.key === undefined)) return;
    const [missing, present] = t.cert === undefined ? ['cert', 'key'] : ['key', 'cert'];
    ctx.addIssue({ code: 'custom', path: [missing], message: `expected both tls.cert and tls.key (PEM file paths) or neither; only tls.${present} is set` });
  });

const budgets = z
  .object({
    /**
     * While generating. One WASM thread keeps a core at 100 %, and V8's compiler and GC threads
     * add to that: the headroom stops the governor pausing a normal generation.
     */
    serving: budget(150, 2048),
    /** Idle or background work (checkpointing, learning). */
    idle: budget(25, 2048),
  })
  .strict();

/**
 * The schema of the appliance configuration. Every object is strict (an unknown key is an
 * error naming it) and every default lives here. Relative paths are resolved by the loader.
 */
export const nexusConfigSchema = z
  .object({
    /** The device profile layered under the config file (see edge-config/profiles/). */
    profile: z.enum(profileNames).optional(),
    /** LAN API bind address (127.0.0.1: this machine only; 0.0.0.0: the LAN). */
    host: hostName.default('127.0.0.1'),
    port: port.default(8080),
    /** Admin API bind address; loopback unless allowNonLoopbackAdmin. */
    adminHost: hostName.default('127.0.0.1'),
    adminPort: port.default(8081),
    allowNonLoopbackAdmin: z.boolean().default(false),
    /** Checkpoints, keys, logs and the PID file live under it. */
    dataDir: text.default('.nexus'),
    /** A registry id (models/registry.json) or a model directory path. */
    model: text.default('lexicon-tiny'),
    modelsDir: text.default('models'),
    dtype: z.enum(configDtypes).default('q8'),
    backend: z.enum(configBackends).default('wasm'),
    /** Inference threads (onnxruntime-web numThreads). */
    threads: int(1, 256).default(1),
    /** Upper bound on the context window in tokens; unset = the model's own (the smaller wins). */
    contextLength: int(16, 1 << 20).optional(),
    queue: queue.prefault({}),
    generation: generation.prefault({}),
    gate: gate.prefault({}),
    learner: z.object({ capacity: int(1).default(2048) }).strict().prefault({}),
    teacher: teacher.prefault({}),
    checkpoint: z.object({ intervalSeconds: int(1).default(300), keep: int(1).default(5) }).strict().prefault({}),
    auth: z
      .object({
        /** true: the LAN API answers without a key (chat and read scopes only). */
        openLan: z.boolean().default(false),
        /** Hashed API keys; default `<dataDir>/keys.json`. */
        keysFile: text.optional(),
      })
      .strict()
      .prefault({}),
    tls: tls.prefault({}),
    cors: z.object({ origins: z.array(origin).default([]) }).strict().prefault({}),
    rateLimit: z.object({ perMinutePerKey: int(1).default(120), perMinutePerAddress: int(1).default(60) }).strict().prefault({}),
    limits: z.object({ bodyBytes: int(1).default(1_000_000), shutdownDeadlineMs: int(0).default(10_000) }).strict().prefault({}),
    budgets: budgets.prefault({}),
    memory: z.object({ sampleIntervalSeconds: int(1).default(30), leakThresholdMbPerHour: z.number().positive().default(5) }).strict().prefault({}),
    logs: z
      .object({
        level: z.enum(logLevels).default('info'),
        /** Default: `<dataDir>/logs/nexus.log` when running in the background. */
        file: text.optional(),
        /** The file is rotated past this size. */
        maxBytes: int(4096).default(10 * MB),
        keep: int(1).default(3),
      })
      .strict()
      .prefault({}),
    /** Base URL model pulls download from instead of each file's source URL. */
    modelMirror: httpUrl.optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (!config.allowNonLoopbackAdmin && !isLoopback(config.adminHost)) {
      ctx.addIssue({
        code: 'custom',
        path: ['adminHost'],
        input: config.adminHost,
        message: `expected a loopback address (127.0.0.1, ::1, localhost), got "${config.adminHost}"; the admin API is reached through an SSH tunnel (set allowNonLoopbackAdmin: true to override)`,
      });
    }
    if (config.port === config.adminPort && config.port !== 0) {
      ctx.addIssue({ code: 'custom', path: ['adminPort'], input: config.adminPort, message: `expected a port other than port (${config.port})` });
    }
  });

/** The validated configuration, defaults filled in. */
export type NexusConfig = z.infer<typeof nexusConfigSchema>;
/** What a config file, profile or caller may give: every key optional. */
export type NexusConfigInput = z.input<typeof nexusConfigSchema>;

/** The configuration with nothing set: every default. */
export function defaultConfig(): NexusConfig {
  return nexusConfigSchema.parse({});
}
