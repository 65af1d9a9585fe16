// packageRootAbove finds the package from any depth; packageRoot is this repository when the sources run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot, packageRootAbove } from '../../runtime/node/package-root.js';
import { repoRoot } from './cli/cli-harness.js';

const scratch = mkdtempSync(join(tmpdir(), 'package-root-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('packageRootAbove', () => {
  it('finds the nearest package.json above a directory at any depth', () => {
    mkdirSync(join(scratch, 'app/dist/runtime/node/cli'), { recursive: true });
    writeFileSync(join(scratch, 'app/package.json'), '{}');
    expect(packageRootAbove(join(scratch, 'app/dist/runtime/node/cli'))).toBe(join(scratch, 'app'));
    expect(packageRootAbove(join(scratch, 'app/dist/runtime/node'))).toBe(join(scratch, 'app'));
    expect(packageRootAbove(join(scratch, 'app'))).toBe(join(scratch, 'app'));
  });

  it('is the repository for the running sources', () => {
    expect(join(packageRoot, '/')).toBe(join(repoRoot, '/'));
  });
});
