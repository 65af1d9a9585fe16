// tlsNames: the DNS names and IP addresses a local server certificate should cover.
import { hostname, networkInterfaces } from 'node:os';

/** This host's names (`host`, `host.local`, localhost, extras) and addresses (loopback and LAN). */
export function tlsNames(extraNames: string[] = []): { dns: string[]; ip: string[] } {
  const host = hostname();
  const dns = [...new Set([host, host.includes('.') ? host : `${host}.local`, 'localhost', ...extraNames.filter((name) => !/^[\d.:]+$/.test(name))])];
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((info) => info !== undefined && !(info.family === 'IPv6' && info.address.startsWith('fe80')))
    .map((info) => info!.address.split('%')[0]);
  const ip = [...new Set(['127.0.0.1', '::1', ...addresses, ...extraNames.filter((name) => /^[\d.:]+$/.test(name))])];
  return { dns, ip };
}
