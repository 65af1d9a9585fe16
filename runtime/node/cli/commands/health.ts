// nexusctl health: GET /health; exit 0 healthy, 1 degraded or unhealthy, 2 unreachable (monitoring convention).
import { Command } from 'commander';
import pc from 'picocolors';
import { withJson, withTarget, type TargetOptions } from '../common-options.js';
import { healthExitCodes } from '../exit-codes.js';
import { fetchAppliance } from '../http-client.js';
import { resolveTarget } from '../resolve-target.js';

interface Health {
  status: 'healthy' | 'degraded' | 'unhealthy';
  reasons?: string[];
}

/** `nexusctl health`. */
export function healthCommand(): Command {
  return withJson(withTarget(new Command('health').description('check health: exit 0 healthy, 1 degraded/unhealthy, 2 unreachable'))).action(async (options: TargetOptions) => {
    const target = await resolveTarget(options);
    let health: Health;
    try {
      // /health answers 503 when unhealthy, with the same JSON body.
      const response = await fetchAppliance(`${target.lanUrl}/health`, { signal: AbortSignal.timeout(5000) }, target.lanCa);
      health = (await response.json()) as Health;
    } catch (error) {
      const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      if (options.json) process.stdout.write(`${JSON.stringify({ status: 'unreachable', reasons: [reason] })}\n`);
      else process.stderr.write(`${pc.red(`nexusctl: cannot reach ${target.lanUrl}/health (${reason})`)}\n`);
      process.exitCode = healthExitCodes.unreachable;
      return;
    }
    const reasons = health.reasons ?? [];
    if (options.json) process.stdout.write(`${JSON.stringify(health)}\n`);
    else {
      const colour = health.status === 'healthy' ? pc.green : health.status === 'degraded' ? pc.yellow : pc.red;
      process.stdout.write(`${colour(health.status)}${reasons.length ? `: ${reasons.join('; ')}` : ''}\n`);
    }
    process.exitCode = healthExitCodes[health.status] ?? healthExitCodes.unhealthy;
  });
}
