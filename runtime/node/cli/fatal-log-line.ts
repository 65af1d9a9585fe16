// fatalLogLine: the error that ends a background appliance, as one JSON line of its log.
import { isNexusError } from '../../core/nexus-error.js';

/** What a system error (listen EADDRINUSE, EACCES, ENOENT) says about where it happened. */
function systemErrorDetails(error: NodeJS.ErrnoException & { address?: unknown; port?: unknown }): Record<string, unknown> {
  const details = { syscall: error.syscall, address: error.address, port: error.port, path: error.path };
  return Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined));
}

/**
 * `{"time":…,"level":"fatal","event":"appliance.fatal","code":…,"message":…,"details":…}`: the code is
 * the NexusError code or the system error's (EADDRINUSE), INTERNAL for anything else.
 */
export function fatalLogLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  let code = 'INTERNAL';
  let details: Record<string, unknown> = {};
  if (isNexusError(error)) ({ code, details } = error);
  else if (error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string') {
    code = (error as NodeJS.ErrnoException).code as string;
    details = systemErrorDetails(error);
  }
  return JSON.stringify({ time: new Date().toISOString(), level: 'fatal', event: 'appliance.fatal', code, message, details });
}
