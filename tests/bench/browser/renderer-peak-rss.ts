// Peak resident memory of the Chromium renderers this process started (Linux /proc), for the browser legs.
import { readFileSync, readdirSync } from 'node:fs';
import { processPeakRssMb } from '../process-peak-rss.js';

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the process exited meanwhile, or this is not Linux
  }
}

/**
 * The largest VmHWM (peak RSS) among renderer processes descended from this one, in MB: the renderer
 * hosts the page, its dedicated worker and the worker's WASM memory (ORT's pthreads are its threads).
 * Undefined where /proc is unreadable.
 */
export function rendererPeakRssMb(root = process.pid): number | undefined {
  let pids: number[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return undefined;
  }
  const parent = new Map<number, number>();
  for (const pid of pids) {
    // Field 4 of /proc/PID/stat, after the parenthesised command name (which may hold spaces).
    const stat = read(`/proc/${pid}/stat`);
    const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields) parent.set(pid, Number(fields[1]));
  }
  const descends = (pid: number): boolean => {
    for (let at = parent.get(pid), hops = 0; at !== undefined && at > 1 && hops < 64; at = parent.get(at), hops++) if (at === root) return true;
    return false;
  };
  let peakMb: number | undefined;
  for (const pid of pids) {
    if (!descends(pid) || !read(`/proc/${pid}/cmdline`)?.includes('--type=renderer')) continue;
    const hwm = processPeakRssMb(pid);
    if (hwm !== undefined) peakMb = Math.max(peakMb ?? 0, hwm);
  }
  return peakMb;
}
