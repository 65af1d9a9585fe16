// packageRoot: the directory of Nexus Edge's package.json, found from wherever this code runs.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The nearest directory above `from` holding a package.json. The same code runs from its sources
 * (runtime/node/…), from tsc's output (dist/runtime/node/…) and from the CLI bundle
 * (dist/runtime/node/cli/nexusctl.js), each at another depth, so paths are not counted in `../`.
 */
export function packageRootAbove(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

export const packageRoot = packageRootAbove(dirname(fileURLToPath(import.meta.url)));
