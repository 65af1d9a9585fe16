// nexusctl tls init: a local CA and a server certificate for this host (openssl), and how to trust the CA on a phone.
import { Command } from 'commander';
import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pc from 'picocolors';
import { CliError } from '../cli-error.js';
import { withDataDir, type TargetOptions } from '../common-options.js';
import { exitCodes } from '../exit-codes.js';
import { resolveTarget, type Target } from '../resolve-target.js';
import { setTlsInConfigFile } from '../../config/set-tls-in-config-file.js';
import { isIpAddress, isLoopbackHost } from '../../../../edge-config/host-name.js';
import { certificateNames, tlsNames } from '../tls-names.js';
import { localCaFile } from '../../local-ca-file.js';

interface TlsOptions extends TargetOptions {
  name: string[];
  force?: boolean;
  newCa?: boolean;
  replaceNames?: boolean;
}

/** iOS refuses server certificates valid for more than 825 days. */
const SERVER_CERTIFICATE_DAYS = 825;
const DAY_MS = 86_400_000;

type ExistingCa = { usable: true; validTo: Date } | { usable: false; reason?: string };

/**
 * Whether the CA already in `dir` can sign another server certificate: both files readable, a CA
 * certificate, the key its own, valid for at least another day. Keeping it spares every phone that
 * trusts it from installing a new one; `reason` says why it cannot be kept.
 */
async function existingCa(caCert: string, caKey: string): Promise<ExistingCa> {
  if (!existsSync(caCert) && !existsSync(caKey)) return { usable: false };
  try {
    const certificate = new X509Certificate(await readFile(caCert));
    const validTo = new Date(certificate.validTo);
    if (!certificate.ca) return { usable: false, reason: 'nexus-ca.crt is not a CA certificate' };
    if (!certificate.checkPrivateKey(createPrivateKey(await readFile(caKey)))) return { usable: false, reason: 'nexus-ca.key is not the key of nexus-ca.crt' };
    if (validTo.getTime() - Date.now() < DAY_MS) return { usable: false, reason: `it expires on ${validTo.toISOString().slice(0, 10)}` };
    return { usable: true, validTo };
  } catch (error) {
    return { usable: false, reason: `it could not be read (${error instanceof Error ? error.message : String(error)})` };
  }
}

function openssl(args: string[]): void {
  try {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (failure.code === 'ENOENT') throw new CliError('the openssl command is not installed (Debian: apt install openssl)', exitCodes.failure);
    throw new CliError(`openssl ${args[0]} failed: ${failure.stderr?.toString().trim().split('\n')[0] ?? failure.message}`, exitCodes.failure);
  }
}

const trustHelp = (ca: string, caUrl: string, fingerprint: string) => `
How to trust the CA on a phone:
  1. Get ${ca} onto it (e-mail, cable), or, once the appliance serves HTTPS,
     open ${caUrl} there and accept the certificate warning that once.
  2. Check that its SHA-256 fingerprint (iOS: the profile's More Details) is
     ${fingerprint}
  3. Android: Settings → Security → Encryption & credentials → Install a certificate → CA certificate → pick nexus-ca.crt.
     iOS:     open nexus-ca.crt (AirDrop / Mail / Files / Safari) → Settings → General → VPN & Device Management → install
              the profile, then Settings → General → About → Certificate Trust Settings → turn on full trust for the Nexus Edge CA.
  On a desktop: import it into the browser's or the OS's trusted roots (Firefox: Settings → Certificates → Authorities → Import).
`;

/** The trust steps for a new CA: where the appliance serves it (a .local name a phone resolves, if there is one) and its fingerprint. */
async function trustHelpFor(caCert: string, dns: readonly string[], port: number): Promise<string> {
  const host = dns.find((name) => name.endsWith('.local')) ?? dns[0];
  return trustHelp(caCert, `https://${host}:${port}/nexus-ca.crt`, new X509Certificate(await readFile(caCert)).fingerprint256);
}

/** Puts the certificate in the config file, and says what else it takes: a restart, and a LAN address if it listens on loopback. */
async function configured(target: Target, tls: { cert: string; key: string }): Promise<string> {
  const edit = await setTlsInConfigFile(target.configFile, tls);
  const setting = `"tls": { "cert": "${tls.cert}", "key": "${tls.key}" }`;
  const lines = [
    'error' in edit
      ? `${pc.yellow('set by hand')} in ${target.configFile} (${edit.error}):\n  ${setting}`
      : `${edit.changed ? pc.green('set') : 'already set'} in ${target.configFile}: ${setting}`,
    'Restart the appliance to serve HTTPS: nexusctl restart (installed as a service: systemctl restart nexus-edge)',
  ];
  if (isLoopbackHost(target.config.host)) lines.push(`It listens on ${target.config.host} only: for phones on the LAN, set "host": "0.0.0.0" in ${target.configFile} too.`);
  return lines.join('\n');
}

async function run(options: TlsOptions): Promise<void> {
  const current = tlsNames(options.name);
  const target = await resolveTarget(options);
  const dir = join(target.dataDir, 'tls');
  const caCert = localCaFile(target.dataDir);
  const [caKey, serverKey, serverCsr, serverCert, ext] = ['nexus-ca.key', 'server.key', 'server.csr', 'server.crt', 'server.ext'].map((name) => join(dir, name));
  if (existsSync(serverCert) && !options.force && !options.newCa) {
    throw new CliError(`${serverCert} already exists (--force issues a new server certificate from the same CA; --new-ca replaces the CA too)`, exitCodes.conflict);
  }
  // A new certificate still covers the names the one it replaces was issued for ("--force --name" adds a name).
  const previous = existsSync(serverCert) && !options.replaceNames ? certificateNames(await readFile(serverCert)) : [];
  const kept = previous.filter((name) => !current.dns.includes(name) && !current.ip.includes(name));
  const dns = [...current.dns, ...kept.filter((name) => !isIpAddress(name))];
  const ip = [...current.ip, ...kept.filter(isIpAddress)];
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const subjectAltName = [...dns.map((name) => `DNS:${name}`), ...ip.map((address) => `IP:${address}`)].join(',');
  const ca: ExistingCa = options.newCa ? { usable: false, reason: existsSync(caCert) ? 'asked for with --new-ca' : undefined } : await existingCa(caCert, caKey);
  if (!ca.usable) {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650', '-keyout', caKey, '-out', caCert, '-subj', `/CN=Nexus Edge local CA (${dns[0]})`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  }
  // A kept CA may expire before 825 days: the server certificate ends with it, not after.
  const days = ca.usable ? Math.min(SERVER_CERTIFICATE_DAYS, Math.floor((ca.validTo.getTime() - Date.now()) / DAY_MS)) : SERVER_CERTIFICATE_DAYS;
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-keyout', serverKey, '-out', serverCsr, '-subj', `/CN=${dns[0]}`]);
  await writeFile(ext, `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${subjectAltName}\n`);
  openssl(['x509', '-req', '-sha256', '-days', String(days), '-in', serverCsr, '-CA', caCert, '-CAkey', caKey, '-CAcreateserial', '-out', serverCert, '-extfile', ext]);
  await Promise.all([chmod(caKey, 0o600), chmod(serverKey, 0o600), rm(serverCsr, { force: true }), rm(ext, { force: true })]);
  const what = ca.usable
    ? `${pc.green('issued')} a new server certificate in ${dir} (${days} days), signed by the local CA already there (valid until ${ca.validTo.toISOString().slice(0, 10)}):
  devices that trust nexus-ca.crt trust it as they are`
    : `${pc.green('created')} a local CA and a server certificate in ${dir}${ca.reason ? `
  the CA was replaced (${ca.reason}): every device must trust the new nexus-ca.crt` : ''}`;
  process.stdout.write(`${what}
  names:     ${dns.join(', ')}
  addresses: ${ip.join(', ')}${kept.length ? `
  kept from the certificate it replaces: ${kept.join(', ')} (--replace-names leaves them out)` : ''}

${await configured(target, { cert: serverCert, key: serverKey })}
${ca.usable ? '' : await trustHelpFor(caCert, dns, target.config.port)}`);
}

/** `nexusctl tls init`. */
export function tlsCommand(): Command {
  const group = new Command('tls').description('HTTPS for the LAN API (a PWA needs a secure context)');
  group.addCommand(
    withDataDir(new Command('init').description('make a local CA and a server certificate for this host under <data-dir>/tls/'))
      .option('--name <name>', 'an extra DNS name (nexus.lan) or IP address (192.168.1.20, fd00::1) for the certificate (repeatable)', (value: string, all: string[]) => [...all, value], [])
      .option('--force', 'issue a new server certificate over the existing one, for its names too (to add a --name); the local CA is kept while it is valid, so devices that trust it need nothing new')
      .option('--replace-names', "with --force or --new-ca: cover only this host's names and the --name given now, not those of the certificate replaced")
      .option('--new-ca', 'also replace the local CA (implies --force): every phone and browser that trusts the old one must trust the new nexus-ca.crt')
      .action(run),
  );
  return group;
}
