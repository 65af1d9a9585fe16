// errorText: an error as the user reads it — the reason itself where the code's prefix ("internal error:") says nothing more.
import { toNexusError } from '../../../runtime/core/index.js';

/** The message of `error`; for INTERNAL errors with a reason, the reason alone. */
export function errorText(error: unknown): string {
  const failure = toNexusError(error);
  const reason = failure.details.reason;
  return failure.code === 'INTERNAL' && typeof reason === 'string' && reason ? reason : failure.message;
}
