// teacherFromConfig: the TeacherClient the config asks for (none without teacher.url).
import type { NexusConfig } from '../../../edge-config/config-schema.js';
import type { Logger } from '../../core/platform/logger.js';
import { CircuitBreaker } from '../../core/resilience/circuit-breaker.js';
import { TeacherClient } from '../../core/teacher/teacher-client.js';

/** A teacher behind its own circuit breaker, or undefined when no URL is configured. */
export function teacherFromConfig(config: NexusConfig['teacher'], logger: Logger): TeacherClient | undefined {
  if (!config.url) return undefined;
  return new TeacherClient({
    baseUrl: config.url,
    model: config.model ?? 'default',
    apiKey: config.apiKey,
    timeoutMs: config.timeoutMs,
    fetch: globalThis.fetch,
    breaker: new CircuitBreaker({ name: 'teacher', logger }),
    logger,
  });
}
