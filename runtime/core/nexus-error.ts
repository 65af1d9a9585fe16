// NexusError: the one error type of the runtime, with a stable code and structured details.
import { errorMessages, type ErrorCode } from './error-codes.js';

export type ErrorDetails = Record<string, unknown>;

/** Serialized form that crosses worker, HTTP and SSE boundaries. */
export interface NexusErrorJSON {
  code: ErrorCode;
  message: string;
  details: ErrorDetails;
}

/** A typed error: `code` is stable, `message` comes from the one table in error-codes.ts. */
export class NexusError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(errorMessages[code](details as never), options);
    this.name = 'NexusError';
    this.code = code;
    this.details = details;
  }

  toJSON(): NexusErrorJSON {
    return { code: this.code, message: this.message, details: this.details };
  }

  /** Rebuilds an error serialized by toJSON() on the other side of a boundary. */
  static fromJSON(json: NexusErrorJSON): NexusError {
    const error = new NexusError(json.code in errorMessages ? json.code : 'INTERNAL', json.details ?? {});
    error.message = json.message;
    return error;
  }
}

/** True for a NexusError (or its JSON form) with the given code; checks `code`, not instanceof. */
export function isNexusError(value: unknown, code?: ErrorCode): value is NexusError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { code?: unknown; name?: unknown };
  const looksLikeOne = value instanceof NexusError || (typeof candidate.code === 'string' && candidate.code in errorMessages);
  return looksLikeOne && (code === undefined || candidate.code === code);
}

/** Wraps anything thrown into a NexusError, keeping NexusErrors as they are. */
export function toNexusError(value: unknown, fallback: ErrorCode = 'INTERNAL'): NexusError {
  if (value instanceof NexusError) return value;
  const reason = value instanceof Error ? value.message : String(value);
  return new NexusError(fallback, { reason }, { cause: value });
}
