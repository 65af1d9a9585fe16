// CliError: a failure of nexusctl itself (not running, already running, usage) with its exit code.
import type { ExitCode } from './exit-codes.js';

/** An error the CLI reports as one line and exits with `exitCode`. */
export class CliError extends Error {
  readonly exitCode: ExitCode;

  constructor(message: string, exitCode: ExitCode) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
