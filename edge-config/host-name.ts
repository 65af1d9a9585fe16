// Host names and IP literals: what a bind address (`host`, `adminHost`) or a certificate name may be.
import { isIP } from 'node:net';

const label = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * An RFC 1123 DNS name: dot-separated labels of letters, digits and inner hyphens, 1–63 characters
 * each and 253 in all. The last label is not all digits, so `1.2.3` is not taken for a name.
 */
export function isDnsName(value: string): boolean {
  if (value.length === 0 || value.length > 253) return false;
  const labels = value.split('.');
  return labels.every((part) => label.test(part)) && !/^\d+$/.test(labels[labels.length - 1]);
}

/** An IPv4 or IPv6 literal, without brackets (`192.168.1.20`, `fd00::1`, `fe80::1%eth0`). */
export function isIpAddress(value: string): boolean {
  return isIP(value) !== 0;
}

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '::ffff:127.0.0.1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** What a host name or address should look like, for error messages. */
export const hostNameExamples = 'a DNS name such as nexus.lan (letters, digits and hyphens in dot-separated labels) or an IP address such as 192.168.1.20 or fd00::1';
