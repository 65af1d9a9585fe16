// unreachableError: why a request to the appliance got no answer, with a certificate problem said as such.
import { networkErrorText } from '../../core/network-error-text.js';
import { CliError } from './cli-error.js';
import { exitCodes } from './exit-codes.js';

/** OpenSSL's codes for a chain that does not lead to a trusted CA (Node puts them on the error's `code`). */
const untrustedCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/** fetch rejects with TypeError('fetch failed') and the socket's error as the cause. */
const causeOf = (error: unknown): unknown => (error instanceof Error && error.cause instanceof Error ? error.cause : error);

/** One line saying why `origin` could not be reached: untrusted certificate, certificate for another name, or nothing answering. */
export function unreachableReason(origin: string, error: unknown): string {
  const cause = causeOf(error);
  const reason = networkErrorText(error);
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code && untrustedCodes.has(code)) return `the appliance's certificate is not trusted: ${reason} (${origin}) — pass --ca FILE (its CA certificate) or --data-dir (where tls init made it)`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `the appliance's certificate does not name the host of ${origin}: ${reason} (nexusctl tls init --name HOST makes one that does)`;
  return `cannot reach the appliance at ${origin} (${reason}); is it running? (nexusctl start)`;
}

/** The CliError (exit 3: cannot be reached) for a request that got no answer. */
export function unreachableError(origin: string, error: unknown): CliError {
  return new CliError(unreachableReason(origin, error), exitCodes.notRunning);
}
