// applianceStatus: the JSON of GET /api/status, read from a running daemon.
import type { Daemon } from './daemon.js';

/** GET /api/status: state, model, queue, gate, memory, counters, checkpoint, resources, breaker, health. */
export type ApplianceStatus = Record<string, unknown> & { state: Daemon['state'] };

/** Version reported by status. */
export const APPLIANCE_VERSION = '0.1.0';

/** A snapshot of the daemon for the status API and the CLI's `nexusctl status`. */
export function applianceStatus(daemon: Daemon): ApplianceStatus {
  const { assistant, config } = daemon;
  const settings = assistant?.calibration.settings;
  const leak = daemon.memoryMonitor.report();
  return {
    state: daemon.state,
    version: APPLIANCE_VERSION,
    uptimeSeconds: Math.round((Date.now() - daemon.startedAt) / 1000),
    model: assistant
      ? { id: assistant.model.id, dtype: assistant.model.dtype, engine: assistant.model.lm.engine.name, threads: config.threads, contextLength: assistant.model.contextLength }
      : { id: config.model, dtype: config.dtype, engine: null, threads: config.threads, contextLength: null },
    queue: { depth: daemon.queue.depth, size: daemon.queue.size, active: daemon.queue.active, concurrency: daemon.queue.concurrency },
    gate: settings ? { threshold: settings.threshold, source: assistant?.calibration.source, k: settings.k, score: settings.score, enabled: config.gate.enabled } : null,
    memory: assistant ? { entries: assistant.memory.size, capacity: assistant.memory.capacity } : null,
    counters: assistant ? assistant.counters.toSection() : null,
    checkpoint: daemon.checkpoints.status(),
    // Sockets, timers, servers, files: a count that grows under steady load is a leak the RSS slope may hide.
    activeHandles: activeHandleCount(),
    rssMb: Math.round(daemon.governor.rssMb() * 10) / 10,
    // Where RSS lives: a leak in JS objects shows in heapUsed, in buffers or WASM memory in external.
    heap: heapBreakdown(),
    cpuPercent: Math.round(daemon.governor.measureCpu()),
    leak: { slopeMbPerHour: leak.slopeMbPerHour, leaking: leak.leaking },
    governor: { ...daemon.governor.counters },
    breaker: daemon.breaker.snapshot(),
    health: daemon.health(),
  };
}

/** process._getActiveHandles() is undocumented; read defensively so a Node without it reports -1. */
function activeHandleCount(): number {
  const handles = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles;
  return typeof handles === 'function' ? handles.call(process).length : -1;
}

function heapBreakdown(): { usedMb: number; totalMb: number; externalMb: number; arrayBuffersMb: number } {
  const usage = process.memoryUsage();
  const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
  return { usedMb: mb(usage.heapUsed), totalMb: mb(usage.heapTotal), externalMb: mb(usage.external), arrayBuffersMb: mb(usage.arrayBuffers) };
}
