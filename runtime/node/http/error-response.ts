// errorResponse: the one place an error becomes an HTTP response (status table, Retry-After, JSON body, no stacks).
import type { Context } from 'hono';
import { NexusError, isNexusError, type NexusErrorJSON } from '../../core/nexus-error.js';
import type { ErrorCode } from '../../core/error-codes.js';
import type { Logger } from '../../core/platform/logger.js';
import { errorLogLevel } from './error-log-level.js';

/** HTTP status per error code; codes not listed are 500. */
export const statusByCode: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  EMPTY_PROMPT: 400,
  PROMPT_TOO_LONG: 400,
  INVALID_OPTION: 400,
  CHAT_TEMPLATE_MISSING: 400,
  CHECKPOINT_CORRUPT: 400,
  CHECKPOINT_VERSION_UNSUPPORTED: 400,
  CONFIG_INVALID: 400,
  DTYPE_UNAVAILABLE: 400,
  MODEL_UNSUPPORTED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CHECKPOINT_NOT_FOUND: 404,
  MODEL_NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  QUEUE_FULL: 429,
  RATE_LIMITED: 429,
  ABORTED: 499,
  TEACHER_FAILED: 502,
  TEACHER_TIMEOUT: 504,
  PAUSED: 503,
  SHUTTING_DOWN: 503,
  NOT_READY: 503,
  OVER_BUDGET: 503,
  CIRCUIT_OPEN: 503,
  // The model cannot run right now (file gone or changed, engine error): unavailable, not a server bug.
  INFERENCE_FAILED: 503,
  // Disk full or unwritable data dir: the request was fine, the appliance could not store it.
  CHECKPOINT_WRITE_FAILED: 507,
  ENGINE_BUSY: 503,
  // The appliance could not finish in time: unavailable for now, not a client mistake.
  REQUEST_TIMEOUT: 503,
};

/** Seconds a client should wait before retrying, for the codes that have one. */
export function retryAfterSeconds(error: NexusError): number | undefined {
  const { details } = error;
  if (error.code === 'QUEUE_FULL' || error.code === 'RATE_LIMITED') return Math.max(1, Math.ceil(Number(details.retryAfterSeconds) || 1));
  if (error.code === 'CIRCUIT_OPEN') return Math.max(1, Math.ceil(Number(details.retryAfterMs) / 1000) || 1);
  if (error.code === 'NOT_READY' || error.code === 'OVER_BUDGET' || error.code === 'ENGINE_BUSY') return 1;
  return undefined;
}

/** The JSON body of an error, logged at its errorLogLevel: NexusErrors as they are; anything else a generic INTERNAL (logged, not shown). */
export function errorBody(error: unknown, logger?: Logger): { status: number; body: { error: NexusErrorJSON }; retryAfter?: number } {
  if (isNexusError(error)) {
    const nexus = error instanceof NexusError ? error : NexusError.fromJSON(error as unknown as NexusErrorJSON);
    const status = statusByCode[nexus.code] ?? 500;
    logger?.log(errorLogLevel(nexus.code, status), 'http.error', { status, code: nexus.code, reason: nexus.message });
    return { status, body: { error: nexus.toJSON() }, retryAfter: retryAfterSeconds(nexus) };
  }
  logger?.log('error', 'http.unexpected', { reason: error instanceof Error ? error.message : String(error) });
  return { status: 500, body: { error: new NexusError('INTERNAL', { reason: 'unexpected server error (see the appliance log)' }).toJSON() } };
}

/** Turns an error into the response for `c` (the transport's error handler and route handlers use it). */
export function errorResponse(c: Context, error: unknown, logger?: Logger): Response {
  const { status, body, retryAfter } = errorBody(error, logger);
  if (retryAfter !== undefined) c.header('Retry-After', String(retryAfter));
  if (status === 401) c.header('WWW-Authenticate', 'Bearer');
  // The rest of an oversized body is never read: close, so a keep-alive client does not reuse a
  // connection the server drops (the next request on it failed with "other side closed").
  if (status === 413) c.header('Connection', 'close');
  return c.json(body, status as 400);
}
