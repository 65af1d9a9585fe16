// The platform boundary: runtime/core imports no Node module and touches no Node- or DOM-only global.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const coreDirectory = fileURLToPath(new URL('../../runtime/core/', import.meta.url));

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Code without comments and string contents, so only real uses are matched. */
function codeOf(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '').replace(/(['"`])(?:\\.|(?!\1)[^\\])*\1/g, "''");
}

const forbiddenImports = /from\s+['"](node:[^'"]+|fs|path|os|child_process|http|https|crypto|url|util|worker_threads)['"]|require\(/;
const forbiddenGlobals = /\b(process|Buffer|window|document|self|indexedDB|caches|navigator|localStorage|__dirname|__filename)\s*[.([]/;

describe('runtime/core platform boundary', () => {
  const files = sourceFiles(coreDirectory);

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it('imports no Node builtin', () => {
    const offenders = files.filter((file) => forbiddenImports.test(readFileSync(file, 'utf8')));
    expect(offenders.map((file) => relative(coreDirectory, file))).toEqual([]);
  });

  it('uses no Node-only or DOM-only global', () => {
    const offenders = files.filter((file) => forbiddenGlobals.test(codeOf(readFileSync(file, 'utf8'))));
    expect(offenders.map((file) => relative(coreDirectory, file))).toEqual([]);
  });

  it('type-checks with no Node types at all (runtime/core/tsconfig.json has "types": [])', () => {
    const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
    expect(() => execFileSync(process.execPath, [tsc, '-p', join(coreDirectory, 'tsconfig.json')], { stdio: 'pipe' })).not.toThrow();
  }, 120_000);

  it('exports the public API from one entry (snapshot of the export names)', async () => {
    const core = await import('../../runtime/core/index.js');
    expect(Object.keys(core).sort()).toMatchSnapshot();
  });
});
