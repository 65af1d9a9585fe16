// The one table of nexusctl exit codes, and how error codes map onto it.
import type { ErrorCode } from '../../core/error-codes.js';

/** Exit codes of every nexusctl command (stable: scripts branch on them). */
export const exitCodes = {
  ok: 0,
  /** Anything not listed below. */
  failure: 1,
  /** Unknown command or option, missing argument. */
  usage: 2,
  /** The appliance is not running or cannot be reached. */
  notRunning: 3,
  /** Missing or wrong admin/API key, or a key without the scope. */
  auth: 4,
  /** Bad input or corrupt data: empty prompt, bad option value, corrupt checkpoint, invalid config. */
  badInput: 5,
  /** The model (or one of its files, dtypes or its tokenizer) is missing or unusable. */
  modelMissing: 6,
  /** Busy: queue full, rate limited, paused, still loading, over budget, circuit open, shutting down. */
  busy: 7,
  /** The named thing (checkpoint id, file, route) does not exist. */
  notFound: 8,
  /** Conflict with what is there: `start` while the appliance runs, `tls init` over existing certificates. */
  conflict: 9,
  /** Waited too long (the appliance did not become ready or did not stop). */
  timeout: 10,
} as const;

/** One of the exit codes in the table. */
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/**
 * `nexusctl health` follows the monitoring-plugin convention (0 ok, 1 problem, 2 unreachable) so
 * that it drops into a Nagios/Docker HEALTHCHECK unchanged; it is the one command that does.
 */
export const healthExitCodes = { healthy: 0, degraded: 1, unhealthy: 1, unreachable: 2 } as const;

const byErrorCode: Partial<Record<ErrorCode, ExitCode>> = {
  EMPTY_PROMPT: exitCodes.badInput,
  PROMPT_TOO_LONG: exitCodes.badInput,
  INVALID_OPTION: exitCodes.badInput,
  BAD_REQUEST: exitCodes.badInput,
  PAYLOAD_TOO_LARGE: exitCodes.badInput,
  CONFIG_INVALID: exitCodes.badInput,
  CHECKPOINT_CORRUPT: exitCodes.badInput,
  CHECKPOINT_VERSION_UNSUPPORTED: exitCodes.badInput,
  CHECKPOINT_INVALID: exitCodes.badInput,
  CHECKSUM_MISMATCH: exitCodes.badInput,
  CHAT_TEMPLATE_MISSING: exitCodes.badInput,
  MODEL_NOT_FOUND: exitCodes.modelMissing,
  MODEL_CORRUPT: exitCodes.modelMissing,
  MODEL_CONFIG_INVALID: exitCodes.modelMissing,
  MODEL_UNSUPPORTED: exitCodes.modelMissing,
  DTYPE_UNAVAILABLE: exitCodes.modelMissing,
  TOKENIZER_INVALID: exitCodes.modelMissing,
  TOKENIZER_MODEL_MISMATCH: exitCodes.modelMissing,
  UNAUTHORIZED: exitCodes.auth,
  FORBIDDEN: exitCodes.auth,
  QUEUE_FULL: exitCodes.busy,
  ENGINE_BUSY: exitCodes.busy,
  RATE_LIMITED: exitCodes.busy,
  PAUSED: exitCodes.busy,
  OVER_BUDGET: exitCodes.busy,
  CIRCUIT_OPEN: exitCodes.busy,
  SHUTTING_DOWN: exitCodes.busy,
  NOT_READY: exitCodes.busy,
  CHECKPOINT_NOT_FOUND: exitCodes.notFound,
  NOT_FOUND: exitCodes.notFound,
};

/** The exit code for a NexusError code (failure for codes not in the table). */
export function exitCodeFor(code: ErrorCode): ExitCode {
  return byErrorCode[code] ?? exitCodes.failure;
}
