// listenError: why a server could not bind, as CONFIG_INVALID naming the config key to change (host or port).
import { NexusError } from '../../core/nexus-error.js';

/** The config keys a listener's host and port came from, for error messages. */
export interface ListenerConfigKeys {
  host: string;
  port: string;
}

/** The LAN API's keys. */
export const lanListenerKeys: ListenerConfigKeys = { host: 'host', port: 'port' };
/** The admin API's keys. */
export const adminListenerKeys: ListenerConfigKeys = { host: 'adminHost', port: 'adminPort' };

/**
 * The bind failure `error` in words, naming the key: a name that does not resolve or is not this
 * machine's is the host's fault, a port in use or privileged the port's. Undefined for other
 * errors, which the caller rethrows as they are.
 */
export function listenError(error: unknown, host: string, port: number, keys: ListenerConfigKeys): NexusError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const invalid = (key: string, reason: string) => new NexusError('CONFIG_INVALID', { key, reason, address, errno: code }, { cause: error });
  switch (code) {
    case 'ENOTFOUND':
      return invalid(keys.host, `"${host}" does not resolve to an address (getaddrinfo ENOTFOUND); use an IP address of this machine, 0.0.0.0 to serve every interface, or a name in /etc/hosts`);
    case 'EAI_AGAIN':
      return invalid(keys.host, `"${host}" could not be resolved now (getaddrinfo EAI_AGAIN: no DNS answer); use an IP address, or retry once the network is up`);
    case 'EADDRNOTAVAIL':
      return invalid(keys.host, `${host} is not an address of this machine (EADDRNOTAVAIL); use one of its addresses, or 0.0.0.0 to serve every interface`);
    case 'EADDRINUSE':
      return invalid(keys.port, `${address} is already in use (EADDRINUSE): another program (or appliance) listens there; stop it or choose another ${keys.port}`);
    case 'EACCES':
      return invalid(keys.port, `binding ${address} was refused (EACCES): ports below 1024 need root or CAP_NET_BIND_SERVICE; use a port of 1024 or more`);
    default:
      return undefined;
  }
}
