import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasCommand, RehearsalError, run } from './runtime';

/** A throw-away certificate authority for one rehearsal (stands in for ACM and the RDS CA). */
export class ThrowAwayCa {
  readonly certificate: string;
  private readonly key: string;

  constructor(private readonly dir: string) {
    if (!hasCommand('openssl')) throw new RehearsalError('openssl-missing', 'TLS material for the rehearsal is made with openssl, which is missing', 'install it (Debian: apt-get install openssl)');
    this.certificate = join(dir, 'ca.pem');
    this.key = join(dir, 'ca.key');
    if (!existsSync(this.certificate)) {
      run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', this.key,
        '-out', this.certificate, '-days', '2', '-subj', '/CN=keycloak rehearsal CA'], { what: 'making the throw-away CA', fix: 'check openssl' });
    }
  }

  /** A server certificate for `names` (DNS names or IP addresses); returns the cert, key and both in one PEM. */
  issue(label: string, names: readonly string[]): { cert: string; key: string; bundle: string } {
    const cert = join(this.dir, `${label}.pem`);
    const key = join(this.dir, `${label}.key`);
    const bundle = join(this.dir, `${label}.bundle.pem`);
    const csr = join(this.dir, `${label}.csr`);
    const ext = join(this.dir, `${label}.ext`);
    const san = names.map((n) => (/^[\d.]+$/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
    writeFileSync(ext, `subjectAltName=${san}\nextendedKeyUsage=serverAuth,clientAuth\n`);
    run('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${names[0]}`],
      { what: `making a key for ${label}`, fix: 'check openssl' });
    run('openssl', ['x509', '-req', '-in', csr, '-CA', this.certificate, '-CAkey', this.key, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', ext],
      { what: `signing ${label}'s certificate`, fix: 'check openssl' });
    chmodSync(key, 0o600);
    writeFileSync(bundle, readFileSync(cert, 'utf8') + readFileSync(key, 'utf8'), { mode: 0o600 });
    return { cert, key, bundle };
  }
}
