// startFailure: why a background start failed, from the log lines the daemon wrote meanwhile.
import type { ErrorCode } from '../../core/error-codes.js';
import { CliError } from './cli-error.js';
import { exitCodeFor, exitCodes, type ExitCode } from './exit-codes.js';
import { formatLogLine } from './format-log-line.js';

/** The fields of the daemon's `appliance.fatal` line (see fatal-log-line.ts). */
interface FatalLine {
  code?: string;
  message?: string;
  details?: { errno?: string };
}

function lastFatal(lines: readonly string[]): FatalLine | undefined {
  for (const line of [...lines].reverse()) {
    try {
      const entry = JSON.parse(line) as { level?: string } & FatalLine;
      if (entry.level === 'fatal') return entry;
    } catch {
      // A plain-text line (an older daemon, a crash trace): not the fatal record.
    }
  }
  return undefined;
}

/** A port in use is a conflict with what is there; a NexusError code keeps its exit code (a missing model is 6). */
function exitCodeOfFatal(fatal: FatalLine | undefined): ExitCode {
  if (fatal?.code === 'EADDRINUSE' || fatal?.details?.errno === 'EADDRINUSE') return exitCodes.conflict;
  // exitCodeFor gives failure for a code it does not list, a system error's code included.
  return fatal?.code ? exitCodeFor(fatal.code as ErrorCode) : exitCodes.failure;
}

const indented = (lines: readonly string[]) => lines.map((line) => `  ${formatLogLine(line)}`).join('\n');

/**
 * The CliError for a daemon that exited during start (`exited`) or was not ready in time: the
 * fatal reason on the first line when the log has one, then the last log lines, readable.
 */
export function startFailure(how: { exited: true } | { exited: false; pid: number; waitedSeconds: number }, tail: readonly string[]): CliError {
  const fatal = lastFatal(tail);
  const reason = fatal?.message ?? fatal?.code;
  const headline = how.exited
    ? `the appliance exited during start${reason ? `: ${reason}` : ''}`
    : `the appliance (PID ${how.pid}) was not ready within ${how.waitedSeconds} s; it still runs (nexusctl logs -f, nexusctl stop)`;
  const log = tail.length > 0 ? `last log lines:\n${indented(tail)}` : 'the log is empty';
  return new CliError(`${headline}\n${log}`, how.exited ? exitCodeOfFatal(fatal) : exitCodes.timeout);
}
