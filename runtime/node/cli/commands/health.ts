// nexusctl health: GET /health; exit 0 healthy, 1 degraded or unhealthy, 2 unreachable (monitoring convention).
import { Command } from 'commander';
import pc from 'picocolors';
import { withApiKey, withCa, withJson, withTarget, type TargetOptions } from '../common-options.js';
import { healthExitCodes } from '../exit-codes.js';
import { fetchAppliance } from '../http-client.js';
import { resolveTarget } from '../resolve-target.js';
import { unreachableReason } from '../unreachable-error.js';

interface Health {
  status: 'healthy' | 'degraded' | 'unhealthy';
  reasons?: string[];
}

/** `nexusctl health`. */
export function healthCommand(): Command {
  const command = withCa(withJson(withTarget(new Command('health').description('check health: exit 0 healthy, 1 degraded/unhealthy, 2 unreachable'))));
  // /health itself needs no key; the key is taken (and sent) so that one set of flags serves status and health alike.
  return withApiKey(command, '; /health needs none, it is accepted as status takes it').action(async (options: TargetOptions) => {
    const target = await resolveTarget(options);
    let health: Health;
    try {
      const headers: Record<string, string> = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {};
      // /health answers 503 when unhealthy, with the same JSON body.
      const response = await fetchAppliance(`${target.lanUrl}/health`, { headers, signal: AbortSignal.timeout(5000) }, target.lanCa);
      health = (await response.json()) as Health;
    } catch (error) {
      const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      if (options.json) process.stdout.write(`${JSON.stringify({ status: 'unreachable', reasons: [reason] })}\n`);
      else process.stderr.write(`${pc.red(`nexusctl: ${unreachableReason(`${target.lanUrl}/health`, error)}`)}\n`);
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
