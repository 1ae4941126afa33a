import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEYCLOAK_PORTS } from '../model/topology';
import { Prepared, secret, ShapeOutcome, startFirstNode, testRealm, versionOf, waitUp } from './context';
import { DrillResult, drillDatabaseRestart, drillFormation, drillLogin, drillNodeLoss, drillRollingRestart, runDrill, SiteUnderTest } from './drills';
import { KeycloakNode } from './keycloak';
import { HaproxyLoadBalancer } from './load-balancer';
import { Browser, createTestRealm, Http } from './oidc';
import { LocalSite, nodeEnvironment } from './plan';
import { PostgresServer } from './postgres';

/**
 * One site on this machine's loopback: PostgreSQL, every Keycloak node on its own address (plus as
 * many spare addresses for replacements), HAProxy in front. Drills: formation, login, node loss,
 * zone loss, rolling restart, database restart.
 */
export async function rehearseSingleSite(ctx: Prepared, drills: DrillResult[], addressBlock: number): Promise<ShapeOutcome> {
  const { plan, progress, registry, workDir, ca, substitutions } = ctx;
  const site = plan.sites[0];
  const address = (host: number) => `127.0.${addressBlock}.${host}`;
  const root = process.getuid?.() === 0;
  const lbAddress = address(2);
  const dbAddress = address(3);
  const lbCert = ca.issue('load-balancer', [ctx.publicHost]);
  const dbCert = ca.issue('postgres', [dbAddress]);
  substitutions.push({ what: 'public hostname', deployed: `${ctx.publicHost} → the ALB`, rehearsed: `${ctx.publicHost} → ${lbAddress} (resolved by the rehearsal's client)`, why: 'no public DNS here' });
  const database = new PostgresServer(registry, progress, join(workDir, 'postgres'), dbAddress, 55432, { username: 'postgres', password: secret() }, dbCert);
  const postgresVersion = versionOf(join(database.binDir, 'postgres'), ['--version']);
  substitutions.push({ what: 'database', deployed: 'Aurora PostgreSQL (writer and readers)', rehearsed: `${postgresVersion}, TLS on, one server`, why: "PostgreSQL from the machine's packages" });
  progress.log('starting PostgreSQL');
  await database.start();
  const dbCredentials = database.createKeycloakRole([site.databaseRoleSql], { master: secret(), role: secret() });
  substitutions.push({ what: 'database users', deployed: `the master user (RDS-managed secret) runs database-role.sql in the database-role container; Keycloak logs in as role ${dbCredentials.username}`, rehearsed: `a master user made as RDS makes one (no superuser) runs the same database-role.sql; Keycloak logs in as role ${dbCredentials.username}`, why: 'no RDS here' });

  const local: LocalSite = {
    database: { address: dbAddress, port: 55432, username: dbCredentials.username, password: dbCredentials.password, caFile: ca.certificate },
    loadBalancerAddress: lbAddress, bootstrapAdminPassword: secret(),
  };
  const lbSettings = root ? site.loadBalancer : { ...site.loadBalancer, listenerPort: 8443, redirectPort: 8080 };
  const hostnameOption = site.config.options.hostname ?? plan.hostname;
  const hostnameUrl = root ? hostnameOption : hostnameOption.replace(/^(https:\/\/[^/:]+)/, '$1:8443');
  if (!root) substitutions.push({ what: 'listener port', deployed: `${site.loadBalancer.listenerPort}`, rehearsed: '8443 (hostname with :8443)', why: 'binding a port below 1024 needs root' });

  const nodes = Array.from({ length: site.nodes * 2 }, (_, i) => {
    const spec = { name: `kc-${i + 1}`, zone: site.zones[i % site.zones.length], address: address(10 + i) };
    const env = nodeEnvironment(site, local, spec, i === 0 ? substitutions : undefined);
    if (!root) env.KC_HOSTNAME = hostnameUrl;
    return new KeycloakNode(registry, progress, spec, workDir, { java: ctx.java.java, command: site.config.command, env, ports: KEYCLOAK_PORTS, heap: ctx.heap });
  });
  const formationStart = Date.now();
  const template = await startFirstNode(ctx, nodes[0]);
  for (const node of nodes.slice(1)) node.prepare(template);
  const serving = nodes.slice(0, site.nodes);
  for (const node of serving.slice(1)) await node.start();
  for (const node of serving.slice(1)) await node.ready(300);
  const formedSeconds = (Date.now() - formationStart) / 1000;

  const lb = new HaproxyLoadBalancer(registry, progress, workDir, lbAddress, lbSettings);
  await lb.start(lbCert.bundle, nodes.map((n, i) => ({ name: n.spec.name, address: n.spec.address, httpPort: KEYCLOAK_PORTS.http, enabled: i < site.nodes })));
  const hc = lbSettings.healthCheck;
  progress.log(`waiting for the health checks (${hc.healthyThreshold} × ${hc.intervalSeconds} s) to mark every node up`);
  await waitUp(lb, serving.map((n) => n.spec.name), hc.healthyThreshold * hc.intervalSeconds + 30);

  const http = new Http(readFileSync(ca.certificate, 'utf8'));
  const realm = testRealm();
  await createTestRealm(http, { base: `http://${serving[0].spec.address}:${KEYCLOAK_PORTS.http}`, route: { address: serving[0].spec.address, port: KEYCLOAK_PORTS.http } },
    { username: site.config.options['bootstrap-admin-username'] ?? 'temp-admin', password: local.bootstrapAdminPassword }, realm);
  substitutions.push({ what: 'admin API', deployed: '/admin/ through the ALB from traffic.adminAllowedCidrs only', rehearsed: `node ${serving[0].spec.name} directly`, why: 'the rehearsal creates its realm, client and users before the drills' });

  const publicUrl = new URL(hostnameUrl);
  const underTest: SiteUnderTest = {
    name: site.name, nodes: serving, spares: nodes.slice(site.nodes), loadBalancer: lb, database,
    browser: new Browser(http, publicUrl.origin, realm, { address: lbAddress, port: lbSettings.listenerPort }),
    users: realm.users, expectedIssuer: `${publicUrl.origin}/realms/${realm.realm}`,
    stopTimeoutSeconds: site.stopTimeoutSeconds, readyTimeoutSeconds: 300, template,
  };
  const run = (title: string, drill: () => Promise<DrillResult>) => runDrill(progress, drills, title, drill);
  await run('cluster formation', () => drillFormation(underTest, formedSeconds));
  await run('login', async () => (await drillLogin(underTest)).result);
  await run('node loss', () => drillNodeLoss(underTest, plan.failureModes, progress, { kind: 'node' }));
  await run('zone loss', () => drillNodeLoss(underTest, plan.failureModes, progress, { kind: 'zone', zone: underTest.nodes[0].spec.zone }));
  await run('rolling restart', () => drillRollingRestart(underTest, progress, lbSettings.deregistrationDelaySeconds));
  await run('database restart', () => drillDatabaseRestart(underTest, plan.failureModes, progress, 10));
  return {
    components: [`PostgreSQL: ${postgresVersion}`, `HAProxy: ${versionOf('haproxy', ['-v'])}, configured from ${site.loadBalancer.targetGroup} and its listener rules`],
    scale: [
      `${site.nodes} Keycloak nodes over ${site.zones.length} zones, each on its own loopback address (127.0.${addressBlock}.x); replacements start on spare addresses in the zone they replace`,
      `Keycloak heap ${ctx.heap}`,
      'one PostgreSQL server for the Aurora cluster',
    ],
  };
}
