import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { arch } from 'node:os';
import { join } from 'node:path';
import { fetchArtifact, fetchWithDependencies, MavenOptions, pickVersion, servedVersions } from './artifacts';
import { Http } from './oidc';
import { ManagedProcess, ProcessRegistry, Progress, RehearsalError, run, waitFor } from './runtime';
import { Substitution } from './plan';

/**
 * An Infinispan server home laid out from Maven Central: `infinispan-server-runtime` and its
 * runtime dependencies in `lib/` (one jar per artifact: the server's loader refuses two, so native
 * jars keep only this machine's classifier), an empty `server/lib`, and `server/conf`.
 */
export function infinispanServerLib(maven: MavenOptions, wanted: string, cacheDir: string): { version: string; exact: boolean; lib: string; loader: string } {
  const coordinates = { group: 'org.infinispan', artifact: 'infinispan-server-runtime' };
  const [major, minor] = wanted.split('.');
  const picked = pickVersion(servedVersions(maven, coordinates, `[${major}.${minor}.0,${major}.${Number(minor) + 1}.0)`), wanted);
  if (!picked) {
    throw new RehearsalError('infinispan-unavailable', `Maven Central serves no infinispan-server-runtime ${major}.${minor}.x (the server the topology pairs with Keycloak)`,
      'pre-fill the Maven cache with the server runtime and its dependencies');
  }
  // The jars at the versions the server's manifest lists: from 16 the server loads them through
  // it, so a dependency Maven resolves at another version is missing (NoClassDefFoundError).
  const runtimeJar = fetchArtifact(maven, { ...coordinates, version: picked.version, type: 'jar' });
  const lib = fetchWithDependencies(maven, { ...coordinates, version: picked.version }, join(cacheDir, `infinispan-server-${picked.version}-pinned`, 'lib'),
    manifestClassPath(runtimeJar));
  const machine = arch() === 'arm64' ? 'aarch_64' : 'x86_64';
  const jars = readdirSync(lib).filter((f) => f.endsWith('.jar'));
  const byArtifact = new Map<string, string[]>();
  for (const jar of jars) {
    const name = jar.replace(/-\d.*$/, '');
    byArtifact.set(name, [...(byArtifact.get(name) ?? []), jar]);
  }
  for (const group of byArtifact.values()) {
    if (group.length < 2) continue;
    const keep = group.find((j) => j.includes(`linux-${machine}`)) ?? group[0];
    for (const jar of group.filter((j) => j !== keep)) rmSync(join(lib, jar));
  }
  // The server's class loader bootstrap: its own `loader` jar up to Infinispan 15, inside the runtime jar from 16.
  let loader: string;
  try {
    loader = fetchArtifact(maven, { ...coordinates, version: picked.version, type: 'jar', classifier: 'loader' });
  } catch {
    loader = join(lib, `infinispan-server-runtime-${picked.version}.jar`);
  }
  return { ...picked, lib, loader };
}

/** The jar names of a jar's manifest `Class-Path` (continuation lines joined). */
export function manifestClassPath(jar: string): string[] {
  const manifest = spawnSync('unzip', ['-p', jar, 'META-INF/MANIFEST.MF'], { encoding: 'utf8' });
  if (manifest.status !== 0) return [];
  const joined = manifest.stdout.replace(/\r\n/g, '\n').replace(/\n /g, '');
  const line = joined.split('\n').find((l) => l.startsWith('Class-Path:'));
  return line ? line.slice('Class-Path:'.length).split(/\s+/).filter((jar) => jar.endsWith('.jar')) : [];
}

/** The rendered `infinispan.xml` with discovery and file paths made local; each change listed. */
export function localInfinispanXml(xml: string, local: {
  /** Each site's Cloud Map name → the site's address in the rehearsal. */
  readonly hostAddresses: Readonly<Record<string, string>>;
  readonly keystorePath: string;
  readonly truststorePath: string;
}, substitutions?: Substitution[]): string {
  let out = xml.replace(/<stack name="([^"]+)"([^>]*)>([\s\S]*?)<\/stack>/g, (_stack, name: string, attrs: string, body: string) => {
    const port = /<TCP[^>]*bind_port="(\d+)"/.exec(body)?.[1] ?? '7800';
    const replaced = body.replace(/<dns\.DNS_PING[\s\S]*?dns_query="([^"]+)"[\s\S]*?\/>/, (_all, query: string) => {
      const hosts = query.split(',').map((h) => {
        const address = local.hostAddresses[h.trim()];
        if (!address) throw new RehearsalError('discovery-unmapped', `infinispan.xml queries ${h}, which is no site's Infinispan`, 'check the rendered bridge');
        return `${address}[${port}]`;
      });
      substitutions?.push({ what: `discovery of stack ${name}`, deployed: `dns.DNS_PING of ${query} (Cloud Map)`, rehearsed: `TCPPING ${hosts.join(',')}`, why: 'no Cloud Map DNS here; the same members, listed' });
      return `<TCPPING xmlns="urn:org:jgroups" initial_hosts="${hosts.join(',')}" port_range="0" ispn:stack.combine="REPLACE" ispn:stack.position="dns.DNS_PING"/>`;
    });
    return `<stack name="${name}"${attrs}>${replaced}</stack>`;
  });
  // The operator's keystore (Hot Rod, and the JGroups transport where it runs TLS) and truststore
  // become the run's own: every use of each path changes together.
  const keystore = /<keystore[^>]*path="([^"]+)"/.exec(out)?.[1];
  if (keystore) {
    out = out.split(`"${keystore}"`).join(`"${local.keystorePath}"`);
    substitutions?.push({ what: 'keystore', deployed: `${keystore} (from the operator's TLS secret)`, rehearsed: 'a PKCS#12 signed by the throw-away CA', why: 'no Secrets Manager here' });
  }
  const truststore = /tls\.truststore_path="([^"]+)"/.exec(out)?.[1];
  if (truststore) {
    out = out.split(`"${truststore}"`).join(`"${local.truststorePath}"`);
    substitutions?.push({ what: 'truststore', deployed: `${truststore} (from the operator's TLS secret)`, rehearsed: 'a PKCS#12 holding the throw-away CA', why: 'no Secrets Manager here' });
  }
  return out;
}

const LOG4J2 = `<?xml version="1.0" encoding="UTF-8"?>
<Configuration name="rehearsal">
  <Appenders><Console name="STDOUT"><PatternLayout pattern="%d{HH:mm:ss,SSS} %-5p (%t) [%c] %m%throwable%n"/></Console></Appenders>
  <Loggers><Root level="INFO"><AppenderRef ref="STDOUT"/></Root></Loggers>
</Configuration>
`;

/** One Infinispan server of a site, run with the site's rendered (and localized) infinispan.xml. */
export class InfinispanServer {
  private process?: ManagedProcess;
  readonly home: string;
  readonly logFile: string;

  constructor(private readonly registry: ProcessRegistry, private readonly progress: Progress, readonly site: string, readonly address: string,
    private readonly launch: { java: string; lib: string; loader: string; exec: readonly string[]; env: Readonly<Record<string, string>> }, workDir: string) {
    this.home = join(workDir, `infinispan-${site}`);
    this.logFile = join(workDir, `infinispan-${site}.log`);
  }

  /** server/conf with the XML, logging, and the users of `identities` (a CLI batch, `identitiesBatch`) made by Infinispan's own CLI. */
  prepare(xml: string, identities: string): void {
    const conf = join(this.home, 'server', 'conf');
    mkdirSync(conf, { recursive: true });
    // The server's loader reads <home>/lib (it does not follow a symbolic link): hard links, or copies.
    const lib = join(this.home, 'lib');
    mkdirSync(lib, { recursive: true });
    for (const jar of readdirSync(this.launch.lib).filter((f) => f.endsWith('.jar'))) {
      if (existsSync(join(lib, jar))) continue;
      try {
        linkSync(join(this.launch.lib, jar), join(lib, jar));
      } catch {
        copyFileSync(join(this.launch.lib, jar), join(lib, jar));
      }
    }
    mkdirSync(join(this.home, 'server', 'lib'), { recursive: true });
    mkdirSync(join(this.home, 'server', 'data'), { recursive: true });
    writeFileSync(join(conf, 'infinispan.xml'), xml);
    writeFileSync(join(conf, 'log4j2.xml'), LOG4J2);
    if (!existsSync(join(conf, 'users.properties'))) {
      // As the image's launch.sh does with IDENTITIES_BATCH: `cli --file <batch>`.
      const batch = join(this.home, 'identities.batch');
      writeFileSync(batch, identities, { mode: 0o600 });
      run(this.launch.java, ['-cp', `${this.launch.lib}/*`, `-Dinfinispan.server.home.path=${this.home}`, 'org.infinispan.cli.commands.CLI', '--file', batch],
        { what: 'creating the Infinispan users with the Infinispan CLI', fix: `see ${this.logFile}` });
    }
  }

  start(): void {
    this.process = this.registry.start(`infinispan ${this.site}`, this.launch.exec[0], [
      ...this.launch.exec.slice(1), this.launch.java, '-Xms128m', '-Xmx512m', '-cp', this.launch.loader,
      `-Dinfinispan.server.home.path=${this.home}`,
      `-Dinfinispan.bind.address=${this.address}`, `-Djgroups.bind.address=${this.address}`,
      'org.infinispan.server.loader.Loader', 'org.infinispan.server.Bootstrap', '-s', join(this.home, 'server'), '-c', 'infinispan.xml',
    ], { env: { ...process.env, ...this.launch.env }, logFile: this.logFile });
  }

  async healthy(http: Http, timeoutSeconds: number): Promise<number> {
    const seconds = await waitFor(`Infinispan ${this.site} healthy`, timeoutSeconds, async () => {
      if (this.process && (this.process.child.exitCode !== null || this.process.child.signalCode !== null)) {
        throw new RehearsalError('infinispan-exited', `Infinispan of site ${this.site} exited while starting`, `see ${this.logFile}`);
      }
      const res = await http.send(`https://${this.address}:11222/rest/v2/container/health/status`, { route: { address: this.address, port: 11222 } });
      return res.status === 200 && res.body.includes('HEALTHY');
    }, 1000);
    this.progress.log(`Infinispan of site ${this.site} (${this.address}) healthy after ${seconds.toFixed(1)} s`);
    return seconds;
  }

  kill(): Promise<number | string> {
    return this.process ? this.registry.kill(this.process) : Promise.resolve('not running');
  }
}

/** Infinispan's REST API of one site (cross-site status and operations), as the runbook uses it. */
export class InfinispanRest {
  constructor(private readonly http: Http, private readonly address: string, private readonly user: { username: string; password: string }) {}

  private async call(method: string, path: string): Promise<{ status: number; body: string }> {
    const authorization = `Basic ${Buffer.from(`${this.user.username}:${this.user.password}`).toString('base64')}`;
    return this.http.send(`https://${this.address}:11222${path}`, { route: { address: this.address, port: 11222 }, method, headers: { authorization } });
  }

  /** `site → online|offline|mixed` as this site sees its backups. */
  async backups(): Promise<Record<string, string>> {
    const res = await this.call('GET', '/rest/v2/container/x-site/backups/');
    if (res.status !== 200) throw new Error(`x-site status: HTTP ${res.status} ${res.body.slice(0, 120)}`);
    const body = JSON.parse(res.body) as Record<string, { status: string }>;
    return Object.fromEntries(Object.entries(body).map(([site, v]) => [site, v.status]));
  }

  /** The sites in this site's cross-site view (RELAY2). */
  async sitesView(): Promise<string[]> {
    const res = await this.call('GET', '/rest/v2/container');
    if (res.status !== 200) throw new Error(`container: HTTP ${res.status}`);
    return (JSON.parse(res.body) as { sites_view?: string[] }).sites_view ?? [];
  }

  /** The runbook's recovery: bring the site online for every cache, then push this site's state to it. */
  async bringOnlineAndPush(site: string): Promise<void> {
    for (const action of ['bring-online', 'start-push-state']) {
      const res = await this.call('POST', `/rest/v2/container/x-site/backups/${site}?action=${action}`);
      if (res.status >= 300) throw new Error(`${action} ${site}: HTTP ${res.status} ${res.body.slice(0, 120)}`);
    }
  }
}
