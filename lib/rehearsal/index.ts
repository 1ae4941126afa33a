import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { KEYCLOAK_STOP_TIMEOUT_SECONDS } from '../aws/keycloak-service';
import { AWS_JDBC_WRAPPER_VERSION } from '../model/image';
import { KEYCLOAK_PORTS } from '../model/topology';
import type { KeycloakOnAws } from '../patterns/keycloak-on-aws';
import { synthesizeStackOf } from '../private/cdktf';
import { fetchArtifact, MavenOptions, pickVersion, requireJava, servedVersions, unpackOnce } from './artifacts';
import { DrillResult, drillDatabaseRestart, drillFormation, drillLogin, drillNodeLoss, drillRollingRestart, SiteUnderTest } from './drills';
import { KeycloakNode } from './keycloak';
import { HaproxyLoadBalancer, readSynthesizedLoadBalancer } from './load-balancer';
import { Browser, createTestRealm, Http } from './oidc';
import { LocalSite, nodeEnvironment, RehearsalPlan, SitePlan, Substitution } from './plan';
import { PostgresServer } from './postgres';
import { renderRehearsalReport } from './report';
import { ProcessRegistry, Progress, RehearsalError } from './runtime';
import { ThrowAwayCa } from './tls';

export { RehearsalError } from './runtime';
export type { DrillResult } from './drills';
export type { Substitution } from './plan';

export interface RehearseOptions {
  /** Scratch folder (server homes, logs, TLS material). @default .cache/rehearsal/<deployment> */
  readonly workDir?: string;
  /** Where REHEARSAL.md goes, e.g. beside the review bundle. @default the work folder */
  readonly reportDir?: string;
  /** Maven's local repository (the download cache). @default ~/.m2/repository */
  readonly mavenRepository?: string;
  /** A JDK 17+ to run the servers with. @default the `java` on the PATH */
  readonly javaHome?: string;
  /** Third octet of the loopback addresses (127.0.X.*) the site uses. @default 77 */
  readonly addressBlock?: number;
  /** Progress lines (component starting, drill, elapsed time). @default stderr */
  readonly log?: (line: string) => void;
  /** Heap of each Keycloak node. @default '-Xms256m -Xmx768m' */
  readonly keycloakHeap?: string;
}

export interface RehearsalOutcome {
  readonly drills: readonly DrillResult[];
  readonly substitutions: readonly Substitution[];
  readonly reportFile: string;
  readonly passed: number;
  readonly failed: number;
}

/** The Keycloak versions Maven Central serves for `keycloak-quarkus-dist`, and the one to run. */
function keycloakDistribution(maven: MavenOptions, wanted: string): { zip: string; version: string; exact: boolean } {
  const coordinates = { group: 'org.keycloak', artifact: 'keycloak-quarkus-dist' };
  const [major, minor] = wanted.split('.');
  const picked = pickVersion(servedVersions(maven, coordinates, `[${major}.${minor}.0,${major}.${Number(minor) + 1}.0)`), wanted);
  if (!picked) {
    throw new RehearsalError('keycloak-unavailable', `Maven Central serves no keycloak-quarkus-dist ${major}.${minor}.x`, 'choose a Keycloak version that is published, or pre-fill the Maven cache');
  }
  return { ...picked, zip: fetchArtifact(maven, { ...coordinates, version: picked.version, type: 'zip' }) };
}

/** Reads what the rehearsal needs from the construct: its configuration, its synthesized load balancer, its failure table. */
export function planRehearsal(keycloak: KeycloakOnAws): RehearsalPlan {
  const topology = keycloak.topology;
  const sites: SitePlan[] = Object.entries(keycloak.sites).map(([name, site]) => {
    const spec = topology.sites[name];
    const stack = JSON.parse(synthesizeStackOf(site.loadBalancer)) as Record<string, unknown>;
    return {
      name, region: spec.region, nodes: spec.nodes,
      zones: spec.zoneNames ?? Array.from({ length: spec.zoneCount }, (_, i) => `${spec.region}${String.fromCharCode(97 + i)}`),
      config: site.keycloak.config, loadBalancer: readSynthesizedLoadBalancer(stack, name), stopTimeoutSeconds: KEYCLOAK_STOP_TIMEOUT_SECONDS,
    };
  });
  return {
    deployment: keycloak.deploymentName, version: topology.keycloak.version, hostname: topology.keycloak.hostname,
    image: { bundlesAwsJdbcWrapper: topology.keycloak.image.bundlesAwsJdbcWrapper },
    sites, failureModes: keycloak.failureModes(),
  };
}

const secret = () => randomBytes(18).toString('base64url');
const versionOf = (command: string, args: string[]) => {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n')[0].trim();
};

/**
 * Runs the deployment's own configuration with the real server software on this machine and
 * drills its failures: Keycloak from Maven Central at the topology's version, PostgreSQL from the
 * machine's packages, HAProxy configured from the synthesized load balancer. Writes REHEARSAL.md
 * and stops every process it started, whatever happens.
 *
 * Prerequisites: Java 17+, Maven (network to Maven Central, or a filled cache), PostgreSQL server
 * binaries, HAProxy, openssl, unzip; root to bind the load balancer on 443 (otherwise 8443).
 */
export async function rehearse(keycloak: KeycloakOnAws, options: RehearseOptions = {}): Promise<RehearsalOutcome> {
  const plan = planRehearsal(keycloak);
  if (plan.sites.length !== 1) {
    throw new RehearsalError('shape-unsupported', `'${plan.deployment}' has ${plan.sites.length} sites; this release rehearses single-site deployments (several sites need Infinispan servers joined by RELAY2 in network namespaces, issue 11)`,
      'rehearse a single-site topology, e.g. examples/aws-multi-az');
  }
  const progress = new Progress(options.log);
  const workDir = resolve(options.workDir ?? join('.cache', 'rehearsal', plan.deployment));
  // Every run starts from nothing but the download cache: no database, node or log of an earlier run.
  for (const stale of ['nodes', 'postgres', 'tls']) rmSync(join(workDir, stale), { recursive: true, force: true });
  if (existsSync(workDir)) for (const log of readdirSync(workDir, { withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.log'))) rmSync(join(workDir, log.name));
  mkdirSync(workDir, { recursive: true });
  const registry = new ProcessRegistry();
  const substitutions: Substitution[] = [];
  const drills: DrillResult[] = [];
  try {
    const java = requireJava(options.javaHome);
    const maven: MavenOptions = { workDir: join(workDir, 'maven'), progress, ...(options.mavenRepository ? { localRepository: options.mavenRepository } : {}) };
    const wanted = plan.version.text;
    const dist = keycloakDistribution(maven, wanted);
    progress.log(`Keycloak ${dist.version} (${dist.exact ? 'the topology\'s version' : `nearest served patch of ${wanted}, which Maven Central does not serve`}); Java ${java.major}`);
    const distHome = join(unpackOnce(dist.zip, join(workDir, '..', `keycloak-${dist.version}`), progress), `keycloak-${dist.version}`);
    const providers: string[] = [];
    if (plan.image.bundlesAwsJdbcWrapper) {
      providers.push(fetchArtifact(maven, { group: 'software.amazon.jdbc', artifact: 'aws-advanced-jdbc-wrapper', version: AWS_JDBC_WRAPPER_VERSION, type: 'jar' }));
    }

    const site = plan.sites[0];
    const block = options.addressBlock ?? 77;
    const address = (host: number) => `127.0.${block}.${host}`;
    const root = process.getuid?.() === 0;
    const tlsDir = join(workDir, 'tls');
    mkdirSync(tlsDir, { recursive: true });
    const ca = new ThrowAwayCa(tlsDir);
    const publicHost = new URL(plan.hostname.includes('://') ? plan.hostname : `https://${plan.hostname}`).hostname;
    const lbAddress = address(2);
    const dbAddress = address(3);
    const lbCert = ca.issue('load-balancer', [publicHost]);
    const dbCert = ca.issue('postgres', [dbAddress]);
    substitutions.push(
      { what: 'public hostname', deployed: `${publicHost} → the ALB`, rehearsed: `${publicHost} → ${lbAddress} (resolved by the rehearsal's client)`, why: 'no public DNS here' },
      { what: 'TLS certificates', deployed: 'ACM (load balancer), RDS CA (database)', rehearsed: 'a throw-away CA made for this run', why: 'no AWS account here' },
      { what: 'container image', deployed: `${keycloak.topology.keycloak.image.uri(plan.version)}`, rehearsed: `keycloak-quarkus-dist ${dist.version}${providers.length ? ` + aws-advanced-jdbc-wrapper ${AWS_JDBC_WRAPPER_VERSION} in providers/` : ''}`, why: 'the same Keycloak build, unpacked instead of run from the image' },
    );
    const dbCredentials = { username: 'keycloak', password: secret() };
    const database = new PostgresServer(registry, progress, join(workDir, 'postgres'), dbAddress, 55432, dbCredentials, dbCert);
    const postgresVersion = versionOf(join(database.binDir, 'postgres'), ['--version']);
    substitutions.push({ what: 'database', deployed: 'Aurora PostgreSQL (writer and readers)', rehearsed: `${postgresVersion}, TLS on, one server`, why: "PostgreSQL from the machine's packages" });
    progress.log('starting PostgreSQL');
    await database.start();

    const local: LocalSite = {
      database: { address: dbAddress, port: 55432, username: dbCredentials.username, password: dbCredentials.password, caFile: ca.certificate },
      loadBalancerAddress: lbAddress, bootstrapAdminPassword: secret(),
    };
    const lbSettings = root ? site.loadBalancer : { ...site.loadBalancer, listenerPort: 8443, redirectPort: 8080 };
    const hostnameOption = site.config.options.hostname ?? plan.hostname;
    const hostnameUrl = root ? hostnameOption : hostnameOption.replace(/^(https:\/\/[^/:]+)/, '$1:8443');
    if (!root) substitutions.push({ what: 'listener port', deployed: `${site.loadBalancer.listenerPort}`, rehearsed: '8443 (hostname with :8443)', why: 'binding a port below 1024 needs root' });

    const heap = options.keycloakHeap ?? '-Xms256m -Xmx768m';
    const spareCount = site.nodes;
    const nodes = Array.from({ length: site.nodes + spareCount }, (_, i) => {
      const spec = { name: `kc-${i + 1}`, zone: site.zones[i % site.zones.length], address: address(10 + i) };
      const env = nodeEnvironment(site, local, spec, i === 0 ? substitutions : undefined);
      if (!root) env.KC_HOSTNAME = hostnameUrl;
      return new KeycloakNode(registry, progress, spec, workDir, { java: java.java, command: site.config.command, env, ports: KEYCLOAK_PORTS, heap });
    });
    substitutions.push({ what: 'Keycloak heap', deployed: `task memory (MaxRAMPercentage of the task's MiB)`, rehearsed: heap, why: 'nodes share a 2-core, 24 GiB machine' });

    progress.log(`starting Keycloak ${nodes[0].spec.name} alone (it creates the schema and the cluster; then the others join)`);
    nodes[0].prepare(distHome);
    for (const jar of providers) writeFileSync(join(nodes[0].home, 'providers', jar.split('/').pop() ?? 'provider.jar'), readFileSync(jar));
    const formationStart = Date.now();
    await nodes[0].start();
    await nodes[0].ready(300);
    // The first start ran Keycloak's build step; the other nodes start from a copy of that home.
    for (const node of nodes.slice(1)) node.prepare(nodes[0].home);
    const serving = nodes.slice(0, site.nodes);
    for (const node of serving.slice(1)) await node.start();
    for (const node of serving.slice(1)) await node.ready(300);
    const formedSeconds = (Date.now() - formationStart) / 1000;

    const lb = new HaproxyLoadBalancer(registry, progress, workDir, lbAddress, lbSettings);
    await lb.start(lbCert.bundle, nodes.map((n, i) => ({ name: n.spec.name, address: n.spec.address, httpPort: KEYCLOAK_PORTS.http, managementPort: KEYCLOAK_PORTS.management, enabled: i < site.nodes })));
    const hc = lbSettings.healthCheck;
    progress.log(`waiting for the health checks (${hc.healthyThreshold} × ${hc.intervalSeconds} s) to mark every node up`);
    await waitUp(lb, serving.map((n) => n.spec.name), hc.healthyThreshold * hc.intervalSeconds + 30);

    const http = new Http(readFileSync(ca.certificate, 'utf8'));
    const realm = {
      realm: 'rehearsal', clientId: 'rehearsal-app', clientSecret: secret(), redirectUri: 'https://app.rehearsal.invalid/callback',
      users: Array.from({ length: 4 }, (_, i) => ({ username: `user-${i + 1}`, password: secret() })),
    };
    await createTestRealm(http, { base: `http://${serving[0].spec.address}:${KEYCLOAK_PORTS.http}`, route: { address: serving[0].spec.address, port: KEYCLOAK_PORTS.http } },
      { username: site.config.options['bootstrap-admin-username'] ?? 'temp-admin', password: local.bootstrapAdminPassword }, realm);
    substitutions.push({ what: 'admin API', deployed: '/admin/ through the ALB from traffic.adminAllowedCidrs only', rehearsed: `node ${serving[0].spec.name} directly`, why: 'the rehearsal creates its realm, client and users before the drills' });

    const publicUrl = new URL(hostnameUrl);
    const underTest: SiteUnderTest = {
      name: site.name, nodes: serving, spares: nodes.slice(site.nodes), loadBalancer: lb, database,
      browser: new Browser(http, publicUrl.origin, realm, { address: lbAddress, port: lbSettings.listenerPort }),
      users: realm.users, expectedIssuer: `${publicUrl.origin}/realms/${realm.realm}`,
      stopTimeoutSeconds: site.stopTimeoutSeconds, readyTimeoutSeconds: 300,
    };
    const run = async (title: string, drill: () => Promise<DrillResult>) => {
      progress.log(`drill: ${title}`);
      const result = await drill().catch((error: unknown): DrillResult => ({
        id: title, title, computed: '', measured: `error: ${(error as Error).message}`, passed: false, checks: [{ what: 'the drill ran to its end', ok: false }], seconds: 0,
      }));
      progress.log(`drill ${result.passed ? 'passed' : 'FAILED'}: ${result.title}: ${result.measured}`);
      drills.push(result);
    };
    await run('cluster formation', () => drillFormation(underTest, formedSeconds));
    await run('login', async () => (await drillLogin(underTest)).result);
    await run('node loss', () => drillNodeLoss(underTest, plan.failureModes, progress, { kind: 'node' }));
    await run('zone loss', () => drillNodeLoss(underTest, plan.failureModes, progress, { kind: 'zone', zone: underTest.nodes[0].spec.zone }));
    await run('rolling restart', () => drillRollingRestart(underTest, progress, lbSettings.deregistrationDelaySeconds));
    await run('database restart', () => drillDatabaseRestart(underTest, plan.failureModes, progress, 10));

    const report = renderRehearsalReport({
      deployment: plan.deployment,
      components: [
        `Keycloak ${dist.version} (\`org.keycloak:keycloak-quarkus-dist\` from Maven Central; the topology names ${wanted})`,
        ...(providers.length ? [`AWS Advanced JDBC Wrapper ${AWS_JDBC_WRAPPER_VERSION} (Maven Central), as the image bundles it`] : []),
        `Java: ${versionOf(java.java, ['-version'])}`,
        `PostgreSQL: ${postgresVersion}`,
        `HAProxy: ${versionOf('haproxy', ['-v'])}, configured from ${site.loadBalancer.targetGroup} and its listener rules`,
      ],
      scale: [
        `${site.nodes} Keycloak nodes over ${site.zones.length} zones (${serving.map((n) => `${n.spec.name}: ${n.spec.zone}`).join(', ')}), each on its own loopback address; replacements start on spare addresses`,
        `Keycloak heap ${heap}`,
        'one PostgreSQL server for the Aurora cluster',
      ],
      drills, substitutions, totalSeconds: progress.elapsed(),
    });
    const reportDir = options.reportDir ?? workDir;
    mkdirSync(reportDir, { recursive: true });
    const reportFile = join(reportDir, 'REHEARSAL.md');
    writeFileSync(reportFile, report);
    const passed = drills.filter((d) => d.passed).length;
    return { drills, substitutions, reportFile, passed, failed: drills.length - passed };
  } finally {
    progress.log('stopping every process the rehearsal started');
    await registry.stopAll();
    rmSync(join(workDir, 'nodes'), { recursive: true, force: true });
  }
}

async function waitUp(lb: HaproxyLoadBalancer, names: readonly string[], timeoutSeconds: number): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutSeconds * 1000) {
    const up = await lb.upServers();
    if (names.every((n) => up.includes(n))) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new RehearsalError('load-balancer-unhealthy', `the load balancer's health checks did not mark ${names.join(', ')} up within ${timeoutSeconds} s`, 'see haproxy.log and the node logs in the rehearsal folder');
}
