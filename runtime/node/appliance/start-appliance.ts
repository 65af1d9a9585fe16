// startAppliance: binds the LAN and admin APIs, loads the model (probes answer 503 meanwhile), restores state.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { NexusConfig } from '../../../edge-config/config-schema.js';
import type { Assistant } from '../../core/assistant/assistant.js';
import { NexusError } from '../../core/nexus-error.js';
import { loadConfig } from '../config/load-config.js';
import { isLoopbackHost } from '../../../edge-config/host-name.js';
import { createAdminApp } from '../http/admin-app.js';
import type { ApplianceControl } from '../http/control-route.js';
import { createLanApp } from '../http/lan-app.js';
import { adminListenerKeys } from '../http/listen-error.js';
import { listen, type Listener } from '../http/http-listener.js';
import { TokenBucketLimiter } from '../http/token-bucket.js';
import { packageRoot } from '../package-root.js';
import { ensureAdminKey, keysFileOf } from './admin-key.js';
import { ApplianceLogger } from './appliance-logger.js';
import { ApiKeys } from './api-keys.js';
import { Daemon, type InferenceBreakerOptions } from './daemon.js';
import type { ConfigDiff } from './live-config.js';
import { removeEndpointsFile, writeEndpointsFile } from './endpoints-file.js';

/** Options of startAppliance. */
export interface StartApplianceOptions {
  /** Where structured logs go (default: JSON lines on stdout at config.logs.level). */
  logger?: ApplianceLogger;
  /** An already loaded assistant (tests); default: load config.model. */
  assistant?: Assistant;
  /** Directory served at `/` (default: pwa/dist when it exists; null: none). */
  staticDir?: string | null;
  /** Re-reads the configuration for reload-config / SIGHUP (default: loadConfig() from NEXUS_* and the config file). */
  reloadConfig?: () => Promise<NexusConfig>;
  /** Called for `POST /api/control {action: shutdown}` (default: close the appliance). */
  onShutdownRequest?: (reason: string) => void;
  /** Tuning of the inference circuit breaker (default: 5 failures, 30 s cool-down). */
  inferenceBreaker?: InferenceBreakerOptions;
  /** Time a client has to send a whole request (default DEFAULT_REQUEST_TIMEOUT_MS, 30 s). */
  requestTimeoutMs?: number;
}

/** A running appliance. */
export interface ApplianceHandle {
  /** Base URL of the LAN API (the real port when config.port was 0). */
  lanUrl: string;
  /** Base URL of the admin API. */
  adminUrl: string;
  daemon: Daemon;
  /** Re-reads the config and applies what can change live. */
  reloadConfig(): Promise<ConfigDiff>;
  /** Graceful stop: refuse new work, finish or cancel in-flight work, save, close both servers. */
  close(reason?: string): Promise<void>;
}

/** pwa/dist next to the sources, or under the working directory. */
function defaultStaticDir(): string | undefined {
  const candidates = [join(packageRoot, 'pwa/dist'), resolve('pwa/dist')];
  return candidates.find((dir) => existsSync(dir));
}

/**
 * Starts the appliance: checks the admin bind address, creates the admin key on first start,
 * binds both servers, then loads the model and restores the newest good checkpoint. Resolves
 * once it serves; throws (with both servers closed) when the model cannot be loaded.
 */
export async function startAppliance(config: NexusConfig, options: StartApplianceOptions = {}): Promise<ApplianceHandle> {
  if (!config.allowNonLoopbackAdmin && !isLoopbackHost(config.adminHost)) {
    throw new NexusError('CONFIG_INVALID', {
      key: 'adminHost',
      reason: `expected a loopback address (127.0.0.1, ::1, localhost), got "${config.adminHost}"; the admin API is reached through an SSH tunnel (set allowNonLoopbackAdmin: true to override)`,
    });
  }
  const logger = options.logger ?? new ApplianceLogger({ level: config.logs.level });
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const keysFile = config.auth.keysFile ?? keysFileOf(config.dataDir);
  if (await ensureAdminKey(config.dataDir, keysFile)) logger.log('info', 'auth.admin_key_created', { file: resolve(config.dataDir, 'admin.key') });
  const daemon = new Daemon(config, logger, options.inferenceBreaker);
  const keys = new ApiKeys(keysFile);
  const perKey = new TokenBucketLimiter(config.rateLimit.perMinutePerKey);
  const perAddress = new TokenBucketLimiter(config.rateLimit.perMinutePerAddress);

  let closing: Promise<void> | undefined;
  const listeners: Listener[] = [];
  const close = (reason = 'shutdown'): Promise<void> => {
    closing ??= (async () => {
      logger.log('info', 'appliance.stopping', { reason });
      await daemon.stop(daemon.config.limits.shutdownDeadlineMs, reason);
      await Promise.all(listeners.map((listener) => listener.close()));
      await removeEndpointsFile(config.dataDir).catch(() => undefined);
      logger.log('info', 'appliance.stopped', { reason });
    })();
    return closing;
  };
  const reloadConfig = async (): Promise<ConfigDiff> => {
    const next = options.reloadConfig ? await options.reloadConfig() : (await loadConfig()).config;
    const diff = daemon.applyConfig(next);
    perKey.perMinute = daemon.config.rateLimit.perMinutePerKey;
    perAddress.perMinute = daemon.config.rateLimit.perMinutePerAddress;
    return diff;
  };
  const control: ApplianceControl = { reloadConfig, shutdown: options.onShutdownRequest ?? ((reason) => void close(reason)) };
  const staticDir = options.staticDir === null ? undefined : (options.staticDir ?? defaultStaticDir());

  const lanApp = createLanApp({ daemon, keys, control, loopbackBound: isLoopbackHost(config.host), perKey, perAddress, staticDir });
  const adminApp = createAdminApp({ daemon, keys, control });
  try {
    listeners.push(await listen(lanApp, config.host, config.port, config.tls, options.requestTimeoutMs));
    listeners.push(await listen(adminApp, config.adminHost, config.adminPort, undefined, options.requestTimeoutMs, adminListenerKeys));
    logger.log('info', 'appliance.listening', { lanUrl: listeners[0].url, adminUrl: listeners[1].url, tls: Boolean(config.tls.cert) });
    await daemon.load(options.assistant);
  } catch (error) {
    logger.log('error', 'appliance.start_failed', { reason: error instanceof Error ? error.message : String(error) });
    await Promise.all(listeners.map((listener) => listener.close(0)));
    throw error;
  }
  // Lets nexusctl find an appliance started with --port flags or port 0; not fatal when the directory is read-only.
  await writeEndpointsFile(config.dataDir, { lanUrl: listeners[0].url, adminUrl: listeners[1].url }).catch((error: Error) =>
    logger.log('warn', 'appliance.endpoints_unwritten', { reason: error.message }),
  );
  logger.log('info', 'appliance.ready', { lanUrl: listeners[0].url, adminUrl: listeners[1].url });
  return { lanUrl: listeners[0].url, adminUrl: listeners[1].url, daemon, reloadConfig, close };
}
