import { appendFileSync, chownSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_MASTER_USERNAME } from '../aws/aurora-global';
import { DATABASE_ROLE_PASSWORD_ENV, KEYCLOAK_DATABASE_ROLE } from '../render/database-role';
import { ManagedProcess, ProcessRegistry, Progress, RehearsalError, requireFree, run, waitFor, isListening } from './runtime';

/** PostgreSQL from the machine's packages, in a scratch folder, on its own address and port. */
export class PostgresServer {
  private process?: ManagedProcess;
  readonly binDir: string;
  private readonly data: string;
  private readonly asPostgres: boolean;

  constructor(
    private readonly registry: ProcessRegistry,
    private readonly progress: Progress,
    private readonly dir: string,
    readonly host: string,
    readonly port: number,
    readonly credentials: { readonly username: string; readonly password: string },
    private readonly tls: { readonly cert: string; readonly key: string },
    /** Further addresses to listen on (a site's side of its link to this machine). */
    private readonly alsoListen: readonly string[] = [],
  ) {
    this.binDir = postgresBinDir();
    this.data = join(dir, 'data');
    // PostgreSQL refuses to run as root; as root the rehearsal runs it as the packages' postgres user.
    this.asPostgres = process.getuid?.() === 0;
  }

  /** initdb (once per rehearsal folder), then start. */
  async start(): Promise<void> {
    await requireFree(this.host, this.port, 'PostgreSQL');
    mkdirSync(this.dir, { recursive: true });
    if (!existsSync(join(this.data, 'PG_VERSION'))) {
      const pwfile = join(this.dir, 'pwfile');
      writeFileSync(pwfile, `${this.credentials.password}\n`, { mode: 0o600 });
      this.own(this.dir, pwfile, this.tls.cert, this.tls.key);
      this.exec('initdb', ['-D', this.data, '-U', this.credentials.username, '--pwfile', pwfile, '-A', 'scram-sha-256', '--no-sync'], 'initdb');
      // Sites reach the server from their own networks; TLS and a password from anywhere it listens.
      appendFileSync(join(this.data, 'pg_hba.conf'), 'hostssl all all all scram-sha-256\n');
    }
    await this.launch();
    const exists = this.exec('psql', ['-h', this.host, '-p', String(this.port), '-U', this.credentials.username, '-d', 'postgres', '-tAc',
      "SELECT count(*) FROM pg_database WHERE datname = 'keycloak'"], 'checking the keycloak database').trim();
    if (exists === '0') {
      this.exec('psql', ['-h', this.host, '-p', String(this.port), '-U', this.credentials.username, '-d', 'postgres', '-c', 'CREATE DATABASE keycloak'], 'creating the keycloak database');
    }
  }

  /**
   * Keycloak's database role, made as the tasks make it. First a master user as RDS makes one (no
   * superuser: CREATEROLE, CREATEDB, owner of Keycloak's database); then, as that user, each site's
   * rendered script (one per site, as each site's tasks run theirs; a second run shows it
   * idempotent). Returns the role's credentials, which Keycloak then logs in with.
   */
  createKeycloakRole(scripts: readonly string[], passwords: { readonly master: string; readonly role: string }): { readonly username: string; readonly password: string } {
    const master = DATABASE_MASTER_USERNAME;
    this.exec('psql', ['-X', '-v', 'ON_ERROR_STOP=1', '-h', this.host, '-p', String(this.port), '-U', this.credentials.username, '-d', 'postgres',
      '-c', `CREATE ROLE "${master}" LOGIN CREATEROLE CREATEDB PASSWORD '${passwords.master}'`, '-c', `ALTER DATABASE keycloak OWNER TO "${master}"`],
    'creating a master user as RDS does (no superuser)');
    const file = join(this.dir, 'database-role.sql');
    for (const [i, sql] of scripts.entries()) {
      writeFileSync(file, sql, { mode: 0o644 });
      this.exec('psql', ['-X', '-h', this.host, '-p', String(this.port), '-U', master, '-d', 'keycloak', '-f', file],
        `creating Keycloak's database role (script ${i + 1} of ${scripts.length}, as the master user)`, { PGPASSWORD: passwords.master, [DATABASE_ROLE_PASSWORD_ENV]: passwords.role });
    }
    this.progress.log(`database role ${KEYCLOAK_DATABASE_ROLE} made by the rendered script as master user ${master} (${scripts.length} run${scripts.length === 1 ? '' : 's'})`);
    return { username: KEYCLOAK_DATABASE_ROLE, password: passwords.role };
  }

  /** Orderly fast shutdown (SIGINT: disconnects clients, as a database failover does). */
  async stop(): Promise<void> {
    if (this.process) await this.registry.stop(this.process, 30, 'SIGINT');
    this.process = undefined;
  }

  async launch(): Promise<void> {
    const args = ['-D', this.data, '-p', String(this.port), '-k', this.dir, '-c', `listen_addresses=${[this.host, ...this.alsoListen].join(',')}`,
      '-c', 'ssl=on', '-c', `ssl_cert_file=${this.tls.cert}`, '-c', `ssl_key_file=${this.tls.key}`, '-c', 'max_connections=300', '-c', 'fsync=off'];
    const [command, prefix] = this.asPostgres ? ['runuser', ['-u', 'postgres', '--', join(this.binDir, 'postgres')]] : [join(this.binDir, 'postgres'), []];
    this.process = this.registry.start('postgres', command, [...prefix, ...args], { logFile: join(this.dir, 'postgres.log'), stopSignal: 'SIGINT' });
    const seconds = await waitFor('PostgreSQL accepting connections', 60, () => isListening(this.host, this.port));
    this.progress.log(`PostgreSQL ${this.host}:${this.port} accepting connections after ${seconds.toFixed(1)} s`);
  }

  /** Runs a PostgreSQL tool as the superuser, unless `env` says otherwise (PGPASSWORD of another user). */
  private exec(tool: string, args: readonly string[], what: string, env: Readonly<Record<string, string>> = {}): string {
    const all = { ...process.env, PGPASSWORD: this.credentials.password, PGSSLMODE: 'require', ...env };
    const [command, args2] = this.asPostgres ? ['runuser', ['-u', 'postgres', '--', join(this.binDir, tool), ...args]] : [join(this.binDir, tool), [...args]];
    return run(command, args2, { what, env: all, fix: 'see the PostgreSQL log in the rehearsal folder', log: join(this.dir, 'commands.log') });
  }

  private own(...paths: string[]): void {
    if (!this.asPostgres) return;
    const uid = Number(run('id', ['-u', 'postgres'], { what: 'finding the postgres user', fix: 'install PostgreSQL from Debian (it creates the postgres user)' }).trim());
    const gid = Number(run('id', ['-g', 'postgres'], { what: 'finding the postgres group', fix: 'install PostgreSQL from Debian' }).trim());
    for (const path of paths) chownSync(path, uid, gid);
  }
}

/** The newest PostgreSQL server binaries the machine has (Debian: /usr/lib/postgresql/<major>/bin). */
function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((d) => existsSync(join(root, d, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (majors.length === 0) {
    throw new RehearsalError('postgres-missing', 'no PostgreSQL server binaries under /usr/lib/postgresql', 'install them (Debian: apt-get install postgresql)');
  }
  return join(root, majors[0], 'bin');
}
