// reportError: prints any thrown value as one red `nexusctl: …` line and picks its exit code.
import pc from 'picocolors';
import { isNexusError } from '../../core/nexus-error.js';
import { CliError } from './cli-error.js';
import { exitCodeFor, exitCodes, type ExitCode } from './exit-codes.js';

/** Writes the error to stderr (a stack trace only with NEXUS_DEBUG=1) and returns the exit code. */
export function reportError(error: unknown): ExitCode {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${pc.red(`nexusctl: ${message.split('\n')[0]}`)}\n`);
  if (process.env.NEXUS_DEBUG === '1' && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  if (error instanceof CliError) return error.exitCode;
  if (isNexusError(error)) return exitCodeFor(error.code);
  return exitCodes.failure;
}
