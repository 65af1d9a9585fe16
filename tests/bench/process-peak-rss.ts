// Peak resident memory of one process, from Linux's /proc (VmHWM), for the benchmark legs.
import { readFileSync } from 'node:fs';

/**
 * VmHWM of process `pid` in MB; undefined where /proc is unreadable (not Linux, or the process has
 * exited). Not getrusage's maxRSS: a child inherits that from its parent across fork and exec.
 */
export function processPeakRssMb(pid: number | 'self' = 'self'): number | undefined {
  try {
    const kilobytes = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kilobytes === undefined ? undefined : Number(kilobytes) / 1024;
  } catch {
    return undefined;
  }
}
