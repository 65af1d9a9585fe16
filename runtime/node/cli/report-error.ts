// reportError: prints any thrown value as a red `nexusctl: …` line (and any lines the message carries) and picks its exit code.
import pc from 'picocolors';
import { isNexusError } from '../../core/nexus-error.js';
import { CliError } from './cli-error.js';
import { exitCodeFor, exitCodes, type ExitCode } from './exit-codes.js';

/** The exit code for anything thrown: a CliError's own, a NexusError's by its code, else failure. */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  if (isNexusError(error)) return exitCodeFor(error.code);
  return exitCodes.failure;
}

/** Writes the error to stderr (a stack trace only with NEXUS_DEBUG=1) and returns the exit code. */
export function reportError(error: unknown): ExitCode {
  const message = error instanceof Error ? error.message : String(error);
  const [headline, ...more] = message.split('\n');
  process.stderr.write(`${pc.red(`nexusctl: ${headline}`)}\n`);
  for (const line of more) process.stderr.write(`${line}\n`);
  if (process.env.NEXUS_DEBUG === '1' && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return exitCodeOf(error);
}
