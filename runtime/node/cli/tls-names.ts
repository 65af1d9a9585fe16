// tlsNames: the DNS names and IP addresses a local server certificate should cover.
import { X509Certificate } from 'node:crypto';
import { hostname, networkInterfaces } from 'node:os';
import { hostNameExamples, isDnsName, isIpAddress } from '../../../edge-config/host-name.js';
import { NexusError } from '../../core/nexus-error.js';

/** An IP literal a certificate can carry: no zone id (`%eth0` only means something on this host). */
const isCertificateAddress = (name: string) => isIpAddress(name) && !name.includes('%');

/**
 * This host's names (`host`, `host.local`, localhost, extras) and addresses (loopback and LAN).
 * An extra that is neither a DNS name nor an IP address is INVALID_OPTION [--name]: it would go into
 * the certificate as written (`DNS:bad name!`) and match nothing.
 */
export function tlsNames(extraNames: string[] = []): { dns: string[]; ip: string[] } {
  const bad = extraNames.find((name) => !isDnsName(name) && !isCertificateAddress(name));
  if (bad !== undefined) throw new NexusError('INVALID_OPTION', { key: '--name', reason: `${JSON.stringify(bad)} is not a DNS name or an IP address: expected ${hostNameExamples}` });
  const host = hostname();
  const dns = [...new Set([host, host.includes('.') ? host : `${host}.local`, 'localhost', ...extraNames.filter(isDnsName)])];
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((info) => info !== undefined && !(info.family === 'IPv6' && info.address.startsWith('fe80')))
    .map((info) => info!.address.split('%')[0]);
  const ip = [...new Set(['127.0.0.1', '::1', ...addresses, ...extraNames.filter(isCertificateAddress)])];
  return { dns, ip };
}

/** An IPv6 address as tlsNames writes it (`::1`, not X509's `0:0:0:0:0:0:0:1`); other names as they are. */
function canonicalAddress(address: string): string {
  return address.includes(':') ? new URL(`http://[${address}]`).hostname.slice(1, -1) : address;
}

/** The DNS names and IP addresses a certificate (PEM) covers; none when it cannot be read. */
export function certificateNames(pem: string | Buffer): string[] {
  let subjectAltName: string | undefined;
  try {
    subjectAltName = new X509Certificate(pem).subjectAltName;
  } catch {
    return [];
  }
  return (subjectAltName ?? '').split(', ').flatMap((entry) => {
    if (entry.startsWith('DNS:')) return [entry.slice(4)];
    if (entry.startsWith('IP Address:')) return [canonicalAddress(entry.slice(11))];
    return [];
  });
}
