import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FailureMode } from '../model/failure-modes';
import { identitiesBatch, InfinispanIdentity } from '../render/infinispan-identities';
import { KEYCLOAK_PORTS } from '../model/topology';
import { Prepared, secret, ShapeOutcome, startFirstNode, testRealm, versionOf, waitUp } from './context';
import { DrillResult, LoginProbe, runDrill } from './drills';
import { InfinispanRest, InfinispanServer, infinispanServerLib, localInfinispanXml } from './infinispan';
import { KeycloakNode } from './keycloak';
import { HaproxyLoadBalancer } from './load-balancer';
import { SiteNetwork } from './netns';
import { Browser, createTestRealm, Http, TestRealm, Tokens } from './oidc';
import { nodeEnvironment } from './plan';
import { PostgresServer } from './postgres';
import { RehearsalError, run, sleep } from './runtime';

interface RunningSite {
  readonly name: string;
  readonly address: string;
  readonly infinispan: InfinispanServer;
  readonly rest: InfinispanRest;
  readonly keycloak: KeycloakNode;
  readonly loadBalancer: HaproxyLoadBalancer;
  readonly browser: Browser;
  readonly http: Http;
}

/** The Infinispan version Keycloak's distribution embeds (its `infinispan-core` jar): the server it pairs with. */
function embeddedInfinispan(distHome: string): string {
  const main = join(distHome, 'lib', 'lib', 'main');
  const jar = existsSync(main) ? readdirSync(main).find((f) => /^org\.infinispan\.infinispan-core-\d/.test(f)) : undefined;
  const version = jar ? /infinispan-core-(\d+\.\d+\.\d+)/.exec(jar)?.[1] : undefined;
  if (!version) throw new RehearsalError('infinispan-version-unknown', `no infinispan-core jar in ${main}`, 'delete the cache folder and run again');
  return version;
}

/** Every `${env.NAME}` the XML reads. */
const envReferences = (xml: string) => [...new Set([...xml.matchAll(/\$\{env\.([A-Z0-9_]+)/g)].map((m) => m[1]))];

/**
 * Several sites, each in its own network namespace (see SiteNetwork): per site an Infinispan
 * server with the site's rendered infinispan.xml (RELAY2 to the other sites over the inter-site
 * link), a Keycloak node with the site's rendered options, HAProxy configured from the site's
 * synthesized load balancer; one PostgreSQL reached by every site. Drills: formation, login at
 * every site, loss of the link, recovery as the runbook says, loss of a whole site.
 */
export async function rehearseSites(ctx: Prepared, drills: DrillResult[], network: SiteNetwork, cache: string): Promise<ShapeOutcome> {
  const { plan, progress, registry, workDir, ca, substitutions } = ctx;
  const wantedIspn = embeddedInfinispan(ctx.distHome);
  const server = infinispanServerLib(ctx.maven, wantedIspn, cache);
  progress.log(`Infinispan server ${server.version} (${server.exact ? 'the version Keycloak embeds' : `nearest served patch of ${wantedIspn}, which Keycloak embeds and Maven Central does not serve as a server`})`);

  const gateways = network.hosts.map((h) => h.gateway);
  const dbCert = ca.issue('postgres', gateways);
  const database = new PostgresServer(registry, progress, join(workDir, 'postgres'), gateways[0], 55432, { username: 'postgres', password: secret() }, dbCert, gateways.slice(1));
  const postgresVersion = versionOf(join(database.binDir, 'postgres'), ['--version']);
  substitutions.push({ what: 'database', deployed: 'one Aurora PostgreSQL cluster shared by the sites', rehearsed: `${postgresVersion} in the root namespace, reached by each site over its own link to this machine`, why: "PostgreSQL from the machine's packages" });
  await database.start();
  const dbCredentials = database.createKeycloakRole(plan.sites.map((site) => site.databaseRoleSql), { master: secret(), role: secret() });
  substitutions.push({ what: 'database users', deployed: `each site's database-role container runs database-role.sql as the master user; Keycloak logs in as role ${dbCredentials.username}`, rehearsed: `a master user made as RDS makes one (no superuser) runs each site's database-role.sql in turn; Keycloak logs in as role ${dbCredentials.username}`, why: 'no RDS here' });

  const lbCert = ca.issue('load-balancer', [ctx.publicHost]);
  const http = new Http(readFileSync(ca.certificate, 'utf8'));
  const hostAddresses: Record<string, string> = {};
  for (const site of plan.sites) if (site.infinispanHost) hostAddresses[site.infinispanHost] = network.host(site.name).address;
  // Keycloak's Hot Rod user (role deployer) and the operator's (role admin, for the runbook's REST calls).
  const ispnUsers: Record<InfinispanIdentity, { username: string; password: string }> = {
    keycloak: { username: 'keycloak', password: secret() }, operator: { username: 'operator', password: secret() },
  };
  const ispnUser = ispnUsers.keycloak;
  const keystorePassword = secret();
  const bootstrapAdminPassword = secret();
  const realm = testRealm();
  substitutions.push({
    what: 'Infinispan users', deployed: "keycloak (role deployer) and operator (role admin) from their generated Secrets Manager secrets, through the start script's CLI batch",
    rehearsed: "the same CLI batch (identitiesBatch) with generated passwords, run by Infinispan's CLI; Keycloak logs in as keycloak, the runbook's REST calls as operator", why: 'secrets are generated per rehearsal',
  });

  // One truststore with the throw-away CA (JGroups' mutual TLS trusts it; the certificates it signed identify the sites).
  const truststorePath = join(workDir, 'tls', 'truststore.p12');
  run(join(ctx.java.java === 'java' ? '' : dirname(ctx.java.java), 'keytool'), ['-importcert', '-noprompt', '-storetype', 'PKCS12', '-keystore', truststorePath,
    '-storepass', keystorePassword, '-alias', 'rehearsal-ca', '-file', ca.certificate], { what: 'making the truststore', fix: 'install a full JDK (keytool)' });
  const sites: RunningSite[] = [];
  for (const [i, site] of plan.sites.entries()) {
    const host = network.host(site.name);
    if (!site.infinispanXml) throw new RehearsalError('infinispan-missing', `site ${site.name} has no rendered infinispan.xml`, 'rehearse a topology of several sites');
    const cert = ca.issue(`infinispan-${site.name}`, [host.address]);
    const alias = /<keystore[^>]*alias="([^"]+)"/.exec(site.infinispanXml)?.[1] ?? 'server';
    const keystorePath = join(workDir, 'tls', `infinispan-${site.name}.p12`);
    run('openssl', ['pkcs12', '-export', '-in', cert.cert, '-inkey', cert.key, '-certfile', ca.certificate, '-name', alias, '-out', keystorePath, '-passout', `pass:${keystorePassword}`],
      { what: 'making the Hot Rod keystore', fix: 'check openssl' });
    const xml = localInfinispanXml(site.infinispanXml, { hostAddresses, keystorePath, truststorePath }, i === 0 ? substitutions : undefined);
    const env = Object.fromEntries(envReferences(xml).map((name) => {
      if (!/PASSWORD/.test(name)) throw new RehearsalError('infinispan-env-unknown', `infinispan.xml reads \${env.${name}}, which the rehearsal cannot provide`, 'extend the rehearsal for it');
      return [name, keystorePassword];
    }));
    const infinispan = new InfinispanServer(registry, progress, site.name, host.address, { java: ctx.java.java, lib: server.lib, loader: server.loader, exec: network.exec(site.name), env }, workDir);
    infinispan.prepare(xml, identitiesBatch(ispnUsers));
    infinispan.start();
    sites.push({
      name: site.name, address: host.address, infinispan, rest: new InfinispanRest(http, host.address, ispnUsers.operator),
      keycloak: new KeycloakNode(registry, progress, { name: `kc-${site.name}`, zone: site.zones[0], address: host.nodeAddresses[0] }, workDir, {
        java: ctx.java.java, command: site.config.command, ports: KEYCLOAK_PORTS, heap: ctx.heap, exec: network.exec(site.name),
        env: nodeEnvironment(site, {
          database: { address: host.gateway, port: 55432, username: dbCredentials.username, password: dbCredentials.password, caFile: ca.certificate },
          loadBalancerAddress: host.address, bootstrapAdminPassword,
          infinispan: { address: host.address, username: ispnUser.username, password: ispnUser.password, caFile: ca.certificate },
        }, { name: `kc-${site.name}`, address: host.nodeAddresses[0] }, i === 0 ? substitutions : undefined),
      }),
      loadBalancer: new HaproxyLoadBalancer(registry, progress, workDir, host.address, site.loadBalancer, network.exec(site.name)),
      browser: new Browser(http, new URL(site.config.options.hostname ?? plan.hostname).origin, realm, { address: host.address, port: site.loadBalancer.listenerPort }),
      http,
    });
  }
  const formationStart = Date.now();
  for (const site of sites) await site.infinispan.healthy(http, 180);

  const template = await startFirstNode(ctx, sites[0].keycloak);
  for (const site of sites.slice(1)) {
    site.keycloak.prepare(template);
    await site.keycloak.start();
  }
  for (const site of sites.slice(1)) await site.keycloak.ready(300);
  for (const [i, site] of sites.entries()) {
    await site.loadBalancer.start(lbCert.bundle, [{ name: site.keycloak.spec.name, address: site.keycloak.spec.address, httpPort: KEYCLOAK_PORTS.http, enabled: true }]);
    const hc = plan.sites[i].loadBalancer.healthCheck;
    await waitUp(site.loadBalancer, [site.keycloak.spec.name], hc.healthyThreshold * hc.intervalSeconds + 30);
  }
  const formedSeconds = (Date.now() - formationStart) / 1000;
  await createTestRealm(http, { base: `http://${sites[0].keycloak.spec.address}:${KEYCLOAK_PORTS.http}`, route: { address: sites[0].keycloak.spec.address, port: KEYCLOAK_PORTS.http } },
    { username: plan.sites[0].config.options['bootstrap-admin-username'] ?? 'temp-admin', password: bootstrapAdminPassword }, realm);

  const runIt = (title: string, drill: () => Promise<DrillResult>) => runDrill(progress, drills, title, drill);
  await runIt('formation', () => drillSitesFormation(sites, formedSeconds));
  await runIt('login at every site', () => drillLoginEverySite(sites, realm, `${new URL(plan.hostname.includes('://') ? plan.hostname : `https://${plan.hostname}`).origin}/realms/${realm.realm}`));
  const [a, b] = sites;
  const modes = plan.failureModes;
  await runIt(`link ${a.name} ↔ ${b.name} lost`, () => drillSeparation(realm, a, b, modes.find((m) => m.id === `link:${a.name}-${b.name}` || m.id === `link:${b.name}-${a.name}`), progress, 'link',
    async () => network.setLink(a.name, b.name, false)));
  await runIt('recovery: link back, bring-online and push state (runbook)', () => drillRecovery(realm, sites, progress, () => network.setLink(a.name, b.name, true)));
  await runIt(`site ${b.name} lost`, () => drillSeparation(realm, a, b, modes.find((m) => m.id === `site:${b.name}`), progress, 'site', async () => {
    await Promise.all([b.keycloak.kill(), b.infinispan.kill()]);
  }));
  return {
    components: [
      `Infinispan server ${server.version} (\`org.infinispan:infinispan-server-runtime\` and its dependencies from Maven Central, laid out as a server home; Keycloak embeds ${wantedIspn})`,
      `PostgreSQL: ${postgresVersion}`,
      `HAProxy: ${versionOf('haproxy', ['-v'])}, one per site, configured from each site's synthesized target group and listener rules`,
    ],
    scale: [
      `${sites.length} sites, each in its own network namespace (10.231.<n>.0/24) with one veth to this machine (database, client) and one veth per other site (the inter-site link, cut by the link drill)`,
      `per site: 1 Infinispan server (-Xmx512m) and 1 Keycloak node (${ctx.heap}) instead of ${plan.sites.map((s) => s.nodes).join('/')} Keycloak tasks`,
    ],
  };
}

async function drillSitesFormation(sites: readonly RunningSite[], formedSeconds: number): Promise<DrillResult> {
  const started = Date.now();
  const views = await Promise.all(sites.map((s) => s.rest.backups().catch(() => ({} as Record<string, string>))));
  const checks = sites.flatMap((s, i) => [
    { what: `site ${s.name}'s Infinispan sees every other site online over RELAY2`, ok: sites.filter((o) => o !== s).every((o) => views[i][o.name] === 'online') },
  ]);
  const lb = await Promise.all(sites.map((s) => s.browser.lbCheck()));
  sites.forEach((s, i) => checks.push({ what: `/lb-check through site ${s.name}'s load balancer answers 200`, ok: lb[i] === 200 }));
  return {
    id: 'formation', title: `sites formed (${sites.map((s) => s.name).join(', ')}): Infinispan joined by RELAY2, Keycloak ready`, computed: 'every site online at every other site; /lb-check 200',
    measured: `${sites.map((s, i) => `${s.name} sees ${JSON.stringify(views[i])}, lb-check ${lb[i]}`).join('; ')}; formed in ${formedSeconds.toFixed(1)} s`,
    passed: checks.every((c) => c.ok), checks, seconds: (Date.now() - started) / 1000,
  };
}

async function drillLoginEverySite(sites: readonly RunningSite[], realm: TestRealm, expectedIssuer: string): Promise<DrillResult> {
  const started = Date.now();
  const issuers: string[] = [];
  for (const site of sites) issuers.push(await site.browser.login(realm.users[0]).then((t) => t.issuer, (e: Error) => `error: ${e.message}`));
  const checks = sites.map((s, i) => ({ what: `a login through site ${s.name}'s load balancer gets issuer ${expectedIssuer}`, ok: issuers[i] === expectedIssuer }));
  return {
    id: 'login-every-site', title: 'login at every site, one issuer', computed: `issuer ${expectedIssuer} at every site`,
    measured: sites.map((s, i) => `${s.name}: ${issuers[i]}`).join('; '), passed: checks.every((c) => c.ok), checks, seconds: (Date.now() - started) / 1000,
  };
}

/** Logins at `survivor` while `lost` is cut off (link) or gone (site): seconds of failed logins, time to fence. */
async function drillSeparation(realm: TestRealm, survivor: RunningSite, lost: RunningSite, mode: FailureMode | undefined, progress: Prepared['progress'], kind: 'link' | 'site', cut: () => Promise<void>): Promise<DrillResult> {
  const started = Date.now();
  const sessions: Tokens[] = [];
  for (const user of realm.users) sessions.push(await survivor.browser.login(user));
  const probe = new LoginProbe(survivor.browser, realm.users).start();
  await sleep(1000);
  const cutAt = Date.now();
  progress.log(kind === 'link' ? `cutting the link ${survivor.name} ↔ ${lost.name}` : `kill -9 of site ${lost.name} (Infinispan and Keycloak)`);
  await cut();
  const limit = (mode?.recoverySeconds.max ?? 120) + 30;
  let fencedAfter: number | undefined;
  let fencedStatus = 'online';
  while ((Date.now() - cutAt) / 1000 < limit) {
    const status = await survivor.rest.backups().catch(() => ({} as Record<string, string>));
    // `mixed`: the caches that were written are offline, idle ones (no failed write) still online.
    if (status[lost.name] === 'offline' || status[lost.name] === 'mixed') {
      fencedStatus = status[lost.name];
      fencedAfter = (Date.now() - cutAt) / 1000;
      break;
    }
    await sleep(1000);
  }
  progress.log(fencedAfter === undefined ? `site ${lost.name} still not offline at ${survivor.name} after ${limit} s` : `site ${lost.name} offline at ${survivor.name} after ${fencedAfter.toFixed(1)} s`);
  // Then until logins succeed again, within the same limit.
  await probe.waitRecovered(cutAt, limit);
  await sleep(3000);
  const result = await probe.stop(cutAt);
  let kept = 0;
  for (const s of sessions) kept += await survivor.browser.refresh(s).then(() => 1, () => 0);
  const survivorLb = await survivor.browser.lbCheck();
  const max = mode?.recoverySeconds.max ?? null;
  const checks = [
    { what: `logins at ${survivor.name} succeed again${max !== null ? ` within the computed ${max} s` : ''}`, ok: result.recovered && (max === null || result.secondsUntilBack <= max) },
    { what: `${survivor.name} takes ${lost.name} offline by itself (no operator)`, ok: fencedAfter !== undefined },
    { what: `sessions at ${survivor.name} survive`, ok: kept === sessions.length },
    { what: `/lb-check at ${survivor.name} answers 200 afterwards`, ok: survivorLb === 200 },
  ];
  return {
    id: `${kind}-loss`, title: kind === 'link' ? `link ${survivor.name} ↔ ${lost.name} lost` : `site ${lost.name} lost (kill -9)`, ...(mode ? { failureMode: mode.id } : {}),
    computed: mode ? `recovery ${mode.recoverySeconds.min}–${mode.recoverySeconds.max ?? '∞'} s (${mode.recoverySeconds.formula}); ${mode.recovery}` : '(no row)',
    measured: `logins at ${survivor.name} failed until ${result.secondsUntilBack.toFixed(1)} s after the ${kind === 'link' ? 'cut' : 'loss'} (${result.failed} of ${result.attempts} attempts${result.firstError ? `; first error: ${result.firstError}` : ''}); ` +
      `${lost.name} ${fencedAfter === undefined ? 'never taken offline (within the wait)' : `${fencedStatus} at ${survivor.name} after ${fencedAfter.toFixed(1)} s`}; sessions kept ${kept}/${sessions.length}; /lb-check ${survivorLb}`,
    passed: checks.every((c) => c.ok), checks, seconds: (Date.now() - started) / 1000,
  };
}

/** The link comes back; as the runbook says, each site brings the other online and pushes its state. */
async function drillRecovery(realm: TestRealm, sites: readonly RunningSite[], progress: Prepared['progress'], restore: () => void): Promise<DrillResult> {
  const started = Date.now();
  restore();
  progress.log('link restored; waiting for the cross-site view to hold every site again');
  // The runbook's order: the bridge must see the other site before it is brought online, or the
  // next write fails again and takes it straight back offline (seen in the rehearsal).
  const viewDeadline = Date.now() + 180_000;
  let viewed = false;
  while (!viewed && Date.now() < viewDeadline) {
    const views = await Promise.all(sites.map((s) => s.rest.sitesView().catch(() => [] as string[])));
    viewed = views.every((v) => sites.every((o) => v.includes(o.name)));
    if (!viewed) await sleep(2000);
  }
  const viewSeconds = (Date.now() - started) / 1000;
  progress.log(`cross-site view ${viewed ? 'complete' : 'still incomplete'} after ${viewSeconds.toFixed(1)} s; bring-online and push state at every site (runbook)`);
  const errors: string[] = [];
  for (const site of sites) for (const other of sites.filter((o) => o !== site)) await site.rest.bringOnlineAndPush(other.name).catch((e: Error) => errors.push(e.message));
  let online = false;
  const deadline = Date.now() + 90_000;
  while (!online && Date.now() < deadline) {
    const views = await Promise.all(sites.map((s) => s.rest.backups().catch(() => ({} as Record<string, string>))));
    online = sites.every((s, i) => sites.filter((o) => o !== s).every((o) => views[i][o.name] === 'online'));
    if (!online) await sleep(1000);
  }
  const logins = await Promise.all(sites.map((s) => s.browser.login(realm.users[1]).then(() => true, () => false)));
  const checks = [
    { what: 'the bridge re-forms by itself once the link is back (every site in every cross-site view)', ok: viewed },
    { what: 'bring-online and push-state accepted at every site', ok: errors.length === 0 },
    { what: 'every site sees every other online again', ok: online },
    ...sites.map((s, i) => ({ what: `logins at ${s.name} succeed`, ok: logins[i] })),
  ];
  return {
    id: 'recovery', title: 'recovery after the link returns (bring-online, push state)', computed: 'runbook step: bring-online, push-state, then both sites serve',
    measured: `cross-site view whole after ${viewSeconds.toFixed(1)} s; ${online ? 'online' : 'not online'} and serving at every site ${((Date.now() - started) / 1000).toFixed(1)} s after the link returned${errors.length ? `; errors: ${errors.join('; ')}` : ''}`,
    passed: checks.every((c) => c.ok), checks, seconds: (Date.now() - started) / 1000,
  };
}
