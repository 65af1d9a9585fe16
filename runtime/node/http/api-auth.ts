// API auth: bearer keys with scopes, the loopback exemption, and rate limits per key and per address.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { NexusError } from '../../core/nexus-error.js';
import type { ApiKeys, ApiScope } from '../appliance/api-keys.js';
import type { TokenBucketLimiter } from './token-bucket.js';

/** Who is calling: a key's id, or `anonymous` with the scopes the bind address grants. */
export interface Principal {
  id: string;
  scopes: readonly ApiScope[];
  address: string;
  authenticated: boolean;
}

/** Hono environment of both apps: the principal set by `authenticate`. */
export type ApiEnv = { Variables: { principal: Principal } };

/** Options of authenticate(). */
export interface AuthOptions {
  keys: ApiKeys;
  /** Scopes granted without a key (chat+read on a loopback-bound or openLan LAN server; none on admin). */
  anonymousScopes: () => readonly ApiScope[];
  perKey?: TokenBucketLimiter;
  perAddress?: TokenBucketLimiter;
}

function bearerOf(c: Context): string | undefined {
  const header = c.req.header('authorization');
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/** Resolves the principal (401 for a wrong key) and applies the rate limits. */
export function authenticate(options: AuthOptions): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    let address = 'unknown';
    try {
      address = getConnInfo(c).remote.address ?? 'unknown';
    } catch {
      // Not behind @hono/node-server (app.request() in a test): no socket, no address.
    }
    const key = bearerOf(c);
    const record = key === undefined ? undefined : await options.keys.verify(key);
    const anonymousScopes = options.anonymousScopes();
    // OpenAI clients always send some key (the SDK requires one): where no key is needed, an
    // unknown one is treated as none, as Ollama does. Where a key is needed, it is a 401.
    if (key !== undefined && !record && anonymousScopes.length === 0) throw new NexusError('UNAUTHORIZED');
    if (record) {
      options.perKey?.take(`key:${record.id}`);
      c.set('principal', { id: record.id, scopes: record.scopes, address, authenticated: true });
    } else {
      options.perAddress?.take(`address:${address}`);
      c.set('principal', { id: 'anonymous', scopes: anonymousScopes, address, authenticated: false });
    }
    await next();
  };
}

/** Lets the request through only with `scope`: without a key that is 401, with a key lacking it 403. */
export function requireScope(scope: ApiScope): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!principal || !principal.scopes.includes(scope)) {
      if (!principal?.authenticated) throw new NexusError('UNAUTHORIZED');
      throw new NexusError('FORBIDDEN', { scope });
    }
    await next();
  };
}
