import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdktf';
import { MultiAzStack } from '../../examples/aws-multi-az/stack';
import { multiSiteStacks } from '../../examples/aws-multi-site/stack';
import { AWS_JDBC_WRAPPER_VERSION } from '../../lib/model/image';
import { optionEnvName } from '../../lib/render/keycloak-options';
import { pickVersion } from '../../lib/rehearsal/artifacts';
import { planRehearsal } from '../../lib/rehearsal';
import { localInfinispanXml } from '../../lib/rehearsal/infinispan';
import { renderHaproxyConfig } from '../../lib/rehearsal/load-balancer';
import { localDatabaseUrl, nodeEnvironment, Substitution } from '../../lib/rehearsal/plan';
import { renderRehearsalReport } from '../../lib/rehearsal/report';

const local = {
  database: { address: '127.0.77.3', port: 55432, username: 'keycloak', password: 'generated-db-password', caFile: '/tmp/ca.pem' },
  loadBalancerAddress: '127.0.77.2', bootstrapAdminPassword: 'generated-admin-password',
};

function multiAz() {
  const app = new App({ outdir: mkdtempSync(join(process.env.TMPDIR ?? '/tmp', 'rehearsal-')) });
  return new MultiAzStack(app, 'keycloak-multi-az').keycloak;
}

describe('rehearsal plan (read from the construct and its synthesized stack)', () => {
  const plan = planRehearsal(multiAz());
  const site = plan.sites[0];

  test('the load balancer settings are the synthesized target group and listener rules', () => {
    expect(site.loadBalancer).toMatchObject({
      listenerPort: 443, redirectPort: 80, sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', deregistrationDelaySeconds: 30, defaultStatus: 404,
      healthCheck: { path: '/health/ready', port: 9000, intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 9, matcher: '200' },
      stickiness: { type: 'app_cookie', cookieName: 'AUTH_SESSION_ID', durationSeconds: 3600 },
    });
    expect(site.loadBalancer.rules).toEqual([
      { priority: 10, paths: ['/realms/*', '/resources/*', '/.well-known/*', '/robots.txt'] },
      { priority: 20, paths: ['/admin/*'], sourceCidrs: ['198.51.100.0/24'] },
    ]);
  });

  test('node environment: the rendered options, with only endpoints, secrets and bind addresses replaced, each listed', () => {
    const substitutions: Substitution[] = [];
    const env = nodeEnvironment(site, local, { name: 'kc-1', address: '127.0.77.10' }, substitutions);
    const replaced = new Set(substitutions.map((s) => s.what));
    for (const [option, value] of Object.entries(site.config.options)) {
      if (replaced.has(option)) expect(env[optionEnvName(option)]).not.toBe(value);
      else expect(env[optionEnvName(option)]).toBe(value);
    }
    expect([...replaced].sort()).toEqual([
      'bootstrap-admin-password', 'cache-embedded-network-bind-address', 'db-password', 'db-url', 'db-username', 'http-host', 'proxy-trusted-addresses',
      'spi-cache-embedded--default--node-name',
    ]);
    expect(env.KC_DB_URL).toBe('jdbc:aws-wrapper:postgresql://127.0.77.3:55432/keycloak?sslmode=verify-full&sslrootcert=/tmp/ca.pem');
    expect(env.KC_PROXY_TRUSTED_ADDRESSES).toBe('127.0.77.2/32');
    expect(env.KC_CACHE_STACK).toBe('jdbc-ping');
    expect(env.KC_HOSTNAME).toBe('https://auth.example.com');
  });

  test('database URLs keep driver, database and TLS mode; every host becomes the local server', () => {
    expect(localDatabaseUrl('jdbc:postgresql://a.example:5432,b.example:5432/keycloak?targetServerType=primary&sslmode=verify-full&sslrootcert=/opt/rds.pem', local.database))
      .toBe('jdbc:postgresql://127.0.77.3:55432/keycloak?targetServerType=primary&sslmode=verify-full&sslrootcert=/tmp/ca.pem');
    expect(() => localDatabaseUrl('jdbc:mysql://db:3306/keycloak', local.database)).toThrow(/db-url-unsupported/);
  });

  test('the failure table the drills compare against is the one TOPOLOGY.md shows', () => {
    expect(plan.failureModes.map((m) => m.id)).toEqual(expect.arrayContaining(['node:eu-west', 'zone:eu-west-1', 'database-writer']));
  });

  test('several sites: each site\'s rendered infinispan.xml, with discovery, keystore and truststore made local and listed', () => {
    const app = new App({ outdir: mkdtempSync(join(process.env.TMPDIR ?? '/tmp', 'rehearsal-')) });
    const multi = planRehearsal(multiSiteStacks(app).keycloak);
    expect(multi.sites.map((s) => s.infinispanHost)).toEqual(['infinispan.keycloak-site-a.internal', 'infinispan.keycloak-site-b.internal']);
    const substitutions: Substitution[] = [];
    const xml = localInfinispanXml(multi.sites[1].infinispanXml ?? '', {
      hostAddresses: { 'infinispan.keycloak-site-a.internal': '10.231.1.2', 'infinispan.keycloak-site-b.internal': '10.231.2.2' },
      keystorePath: '/run/ks.p12', truststorePath: '/run/ts.p12',
    }, substitutions);
    // The bridge lists every site on 7900, the site's own cluster only itself on 7800.
    expect(xml).toContain('initial_hosts="10.231.1.2[7900],10.231.2.2[7900]"');
    expect(xml).toContain('initial_hosts="10.231.2.2[7800]"');
    expect(xml).not.toContain('<dns.DNS_PING');
    expect(xml).not.toContain('/tmp/infinispan/');
    expect(xml).toContain('<relay.RELAY2');
    expect(xml).toContain('<take-offline');
    expect(substitutions.map((s) => s.what)).toEqual(['discovery of stack bridge', 'discovery of stack xsite', 'keystore', 'truststore']);
    // Everything else is the rendered file: remove what was substituted and the rest is identical.
    const strip = (text: string) => text.replace(/<dns\.DNS_PING[\s\S]*?\/>|<TCPPING[^>]*\/>/g, '').replace(/"\/(tmp\/infinispan|run)\/[^"]+"/g, '""');
    expect(strip(xml)).toBe(strip(multi.sites[1].infinispanXml ?? ''));
  });

  test('HAProxy accepts the configuration rendered from the synthesized load balancer', () => {
    const config = renderHaproxyConfig(site.loadBalancer, { address: '127.0.77.2', certificateBundle: '/tmp/lb.pem', socket: '/tmp/haproxy.sock' }, [
      { name: 'kc-1', address: '127.0.77.10', httpPort: 8080, enabled: true },
      { name: 'kc-4', address: '127.0.77.13', httpPort: 8080, enabled: false },
    ]);
    expect(config).toContain('stick on req.cook(AUTH_SESSION_ID)');
    expect(config).toContain('stick store-response res.cook(AUTH_SESSION_ID)');
    expect(config).toContain('option httpchk GET /health/ready');
    expect(config).toContain('default-server inter 10s fall 9 rise 2 port 9000');
    expect(config).toContain('acl rule1_src src 198.51.100.0/24');
    expect(config).toContain('server kc-4 127.0.77.13:8080 check source 127.0.77.2 disabled');
    // The real HAProxy judges the configuration (a prerequisite of the rehearsal; CI installs it).
    expect(spawnSync('haproxy', ['-v']).error).toBeUndefined();
    const dir = mkdtempSync(join(process.env.TMPDIR ?? '/tmp', 'haproxy-'));
    // A throw-away certificate so HAProxy can load the TLS listener.
    spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'c'), '-days', '1', '-subj', '/CN=auth.example.com']);
    writeFileSync(join(dir, 'lb.pem'), readFileSync(join(dir, 'c'), 'utf8') + readFileSync(join(dir, 'k'), 'utf8'));
    writeFileSync(join(dir, 'haproxy.cfg'), config.replace('/tmp/lb.pem', join(dir, 'lb.pem')));
    const check = spawnSync('haproxy', ['-c', '-f', join(dir, 'haproxy.cfg')], { encoding: 'utf8' });
    expect(`${check.stdout}${check.stderr}`).toMatch(/Configuration file is valid/);
  });
});

describe('versions', () => {
  const served = ['26.4.0', '26.4.5', '26.4.7', '26.5.0', '26.5.6', '26.7.0', '26.7.3', '16.0.5', '16.0.7', '15.0.19.Final', '15.0.21.Final'];
  test('the topology\'s version when served, else the nearest served patch of the same minor', () => {
    expect(pickVersion(served, '26.7.0')).toEqual({ version: '26.7.0', exact: true });
    expect(pickVersion(served, '26.4.6')).toEqual({ version: '26.4.7', exact: false });
    expect(pickVersion(served, '26.4.2')).toEqual({ version: '26.4.0', exact: false });
    expect(pickVersion(served, '16.0.12')).toEqual({ version: '16.0.7', exact: false });
    expect(pickVersion(served, '15.0.20')).toEqual({ version: '15.0.21.Final', exact: false });
    expect(pickVersion(served, '26.6.0')).toBeUndefined();
  });

  test('the example Dockerfile bundles the JDBC wrapper release the rehearsal runs', () => {
    const dockerfile = readFileSync(join(__dirname, '..', '..', 'examples', 'aws-multi-az', 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`ARG AWS_JDBC_WRAPPER_VERSION=${AWS_JDBC_WRAPPER_VERSION}`);
  });
});

describe('REHEARSAL.md', () => {
  test('per drill: computed, measured, verdict and checks; substitutions once each, tokens named', () => {
    const md = renderRehearsalReport({
      deployment: 'keycloak', components: ['Keycloak 26.7.0'], scale: ['3 nodes'], totalSeconds: 412,
      drills: [
        { id: 'node-loss', title: 'node loss', computed: 'recovery 0–95 s', measured: 'failed logins for 2.3 s', passed: true, checks: [{ what: 'sessions survive', ok: true }], seconds: 60 },
        { id: 'link-loss', title: 'link lost', computed: 'recovery 30–57 s', measured: 'never fenced', passed: false, checks: [{ what: 'fenced by itself', ok: false }], seconds: 150 },
      ],
      substitutions: [
        { what: 'db-url', deployed: 'jdbc:postgresql://${TfToken[TOKEN.104]}:5432/keycloak', rehearsed: 'jdbc:postgresql://127.0.77.3:55432/keycloak', why: 'local database' },
        { what: 'db-url', deployed: 'again', rehearsed: 'again', why: 'second node' },
      ],
    });
    expect(md).toContain('1 of 2 drills passed in 412 s');
    expect(md).toContain('| node loss | recovery 0–95 s | failed logins for 2.3 s | pass (60 s) |');
    expect(md).toContain('| link lost | recovery 30–57 s | never fenced | **FAIL** (150 s) |');
    expect(md).toContain('- [ ] fenced by itself');
    expect(md).toContain('jdbc:postgresql://<Terraform reference>:5432/keycloak');
    expect(md.match(/\| db-url \|/g)).toHaveLength(1);
  });
});
