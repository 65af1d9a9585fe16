// resolveStaticPath: files under the root only; `..`, encoded or not, backslashes and NUL are refused.
import { describe, expect, it } from 'vitest';
import { resolveStaticPath } from '../../../runtime/node/http/static-files.js';

describe('resolveStaticPath', () => {
  it('resolves paths inside the root', () => {
    expect(resolveStaticPath('/srv/pwa', '/')).toBe('/srv/pwa');
    expect(resolveStaticPath('/srv/pwa', '/assets/app.js')).toBe('/srv/pwa/assets/app.js');
    expect(resolveStaticPath('/srv/pwa', '/a%20b.txt')).toBe('/srv/pwa/a b.txt');
  });

  it('refuses traversal and odd bytes', () => {
    for (const path of ['/../package.json', '/..%2fpackage.json', '/%2e%2e/%2e%2e/etc/passwd', '/a/..%2f..%2fx', '/..%5cx', '/x%00.js', '/%E0%A4%A']) {
      expect(resolveStaticPath('/srv/pwa', path), path).toBeUndefined();
    }
  });
});
