// nexusctl tls init: a local CA and a server certificate for this host (openssl), and how to trust the CA on a phone.
import { Command } from 'commander';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pc from 'picocolors';
import { CliError } from '../cli-error.js';
import { withDataDir, type TargetOptions } from '../common-options.js';
import { exitCodes } from '../exit-codes.js';
import { resolveTarget } from '../resolve-target.js';
import { tlsNames } from '../tls-names.js';

interface TlsOptions extends TargetOptions {
  name: string[];
  force?: boolean;
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

const trustHelp = (ca: string) => `
How to trust the CA (copy ${ca} to the phone first: e-mail, cable, or serve it once):
  Android: Settings → Security → Encryption & credentials → Install a certificate → CA certificate → pick nexus-ca.crt.
  iOS:     open nexus-ca.crt (AirDrop / Mail / Files) → Settings → General → VPN & Device Management → install the profile,
           then Settings → General → About → Certificate Trust Settings → turn on full trust for the Nexus Edge CA.
  Desktop: import it into the browser's or the OS's trusted roots (Firefox: Settings → Certificates → Authorities → Import).
`;

async function run(options: TlsOptions): Promise<void> {
  const target = await resolveTarget(options);
  const dir = join(target.dataDir, 'tls');
  const [caKey, caCert, serverKey, serverCsr, serverCert, ext] = ['nexus-ca.key', 'nexus-ca.crt', 'server.key', 'server.csr', 'server.crt', 'server.ext'].map((name) => join(dir, name));
  if (existsSync(serverCert) && !options.force) throw new CliError(`${serverCert} already exists (use --force to make new ones)`, exitCodes.conflict);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { dns, ip } = tlsNames(options.name);
  const subjectAltName = [...dns.map((name) => `DNS:${name}`), ...ip.map((address) => `IP:${address}`)].join(',');
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650', '-keyout', caKey, '-out', caCert, '-subj', `/CN=Nexus Edge local CA (${dns[0]})`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-keyout', serverKey, '-out', serverCsr, '-subj', `/CN=${dns[0]}`]);
  // iOS refuses server certificates valid for more than 825 days.
  await writeFile(ext, `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${subjectAltName}\n`);
  openssl(['x509', '-req', '-sha256', '-days', '825', '-in', serverCsr, '-CA', caCert, '-CAkey', caKey, '-CAcreateserial', '-out', serverCert, '-extfile', ext]);
  await Promise.all([chmod(caKey, 0o600), chmod(serverKey, 0o600), rm(serverCsr, { force: true }), rm(ext, { force: true })]);
  process.stdout.write(`${pc.green('created')} a local CA and a server certificate in ${dir}
  names:     ${dns.join(', ')}
  addresses: ${ip.join(', ')}

Set in ${join(target.dataDir, 'config.json')} (then nexusctl restart):
  "tls": { "cert": "${serverCert}", "key": "${serverKey}" }
${trustHelp(caCert)}`);
}

/** `nexusctl tls init`. */
export function tlsCommand(): Command {
  const group = new Command('tls').description('HTTPS for the LAN API (a PWA needs a secure context)');
  group.addCommand(
    withDataDir(new Command('init').description('make a local CA and a server certificate for this host under <data-dir>/tls/'))
      .option('--name <name>', 'an extra DNS name or IP address for the certificate (repeatable)', (value: string, all: string[]) => [...all, value], [])
      .option('--force', 'replace existing certificates')
      .action(run),
  );
  return group;
}
