import { defineTopology, TopologyInput } from '../../lib/model/define';
import { KeycloakImage } from '../../lib/model/image';
import { KeycloakVersion } from '../../lib/model/version';
import {
  KeycloakSiteFacts, LATENCY_OBJECTIVE_MS, optionEnvName, renderKeycloakConfig, secretOptionEnvName, toCliArgs, toEnvironment,
} from '../../lib/render/keycloak-options';

const facts: KeycloakSiteFacts = {
  database: { writerEndpoint: 'kc.cluster-x.eu-west-1.rds.amazonaws.com', instanceEndpoints: ['kc-1.x.rds.amazonaws.com', 'kc-2.x.rds.amazonaws.com'], port: 5432 },
  trustedProxyCidrs: ['10.0.224.0/23', '10.0.226.0/23'],
};
const input: TopologyInput = { hostname: 'auth.example.com', sites: { main: { region: 'eu-west-1' } } };
const render = (overrides: Partial<TopologyInput> = {}) => renderKeycloakConfig(defineTopology({ ...input, ...overrides }), 'main', facts);

test('secret options go through KCRAW_ (taken literally, so a $ in a generated password survives) from 26.7, through KC_ before', () => {
  expect(secretOptionEnvName('db-password', KeycloakVersion.V26_7_0)).toBe('KCRAW_DB_PASSWORD');
  expect(secretOptionEnvName('cache-remote-password', KeycloakVersion.V26_7_0)).toBe('KCRAW_CACHE_REMOTE_PASSWORD');
  expect(secretOptionEnvName('db-password', KeycloakVersion.V26_4_0)).toBe('KC_DB_PASSWORD');
});

describe('renderKeycloakConfig', () => {
  test('GIVEN a single site THEN the nodes form one cluster through the database, encrypted', () => {
    const { options } = render();
    expect(options).toMatchObject({ cache: 'ispn', 'cache-stack': 'jdbc-ping', 'cache-embedded-mtls-enabled': 'true' });
  });

  test('health and metrics are on (management port), HTTP is enabled behind the TLS-terminating load balancer', () => {
    expect(render().options).toMatchObject({
      'health-enabled': 'true',
      'metrics-enabled': 'true',
      'http-enabled': 'true',
      'proxy-headers': 'xforwarded',
      'proxy-trusted-addresses': '10.0.224.0/23,10.0.226.0/23',
    });
  });

  test.each([KeycloakVersion.V26_4_0, KeycloakVersion.V26_7_0].map((version) => [version.text, version] as const))(
    'Keycloak %s counts user events (the login success rate) per realm and records request-duration histograms',
    (_text, version) => {
      expect(render({ version }).options).toMatchObject({
        'event-metrics-user-enabled': 'true',
        'event-metrics-user-tags': 'realm',
        'http-metrics-histograms-enabled': 'true',
        'http-metrics-slos': String(LATENCY_OBJECTIVE_MS),
      });
    },
  );

  test('the latency objective is an exact histogram bucket: 250 ms, Keycloak’s example SLO', () => {
    expect(render().options['http-metrics-slos']).toBe('250');
  });

  test('before 26.2 user-event metrics are not rendered (a preview behind a feature flag in 26.1, absent in 26.0); histograms are', () => {
    for (const text of ['26.0.8', '26.1.5']) {
      const { options } = render({ version: KeycloakVersion.of(text) });
      expect(Object.keys(options).filter((name) => name.startsWith('event-metrics-'))).toEqual([]);
      expect(options['http-metrics-histograms-enabled']).toBe('true');
    }
    expect(render({ version: KeycloakVersion.of('26.2.0') }).options['event-metrics-user-enabled']).toBe('true');
  });

  test('embedded-cache histograms stay off (Keycloak warns they cost performance)', () => {
    expect(render().options).not.toHaveProperty('cache-metrics-histograms-enabled');
  });

  test('the hostname is always a full https URL, the same for every site', () => {
    expect(render().options.hostname).toBe('https://auth.example.com');
    expect(render({ hostname: 'https://auth.example.com/' }).options.hostname).toBe('https://auth.example.com');
  });

  test('never emits the removed proxy option nor hostname v1 options', () => {
    const names = Object.keys(render().options);
    for (const removed of ['proxy', 'hostname-url', 'hostname-admin-url', 'hostname-path', 'hostname-port', 'hostname-strict-https']) {
      expect(names).not.toContain(removed);
    }
    expect(Object.keys(toEnvironment(render().options))).not.toContain('KC_PROXY');
  });

  test('pool sizes are equal so connections open at start', () => {
    const { options } = render({ keycloak: { dbPoolSize: 42 } });
    expect([options['db-pool-initial-size'], options['db-pool-min-size'], options['db-pool-max-size']]).toEqual(['42', '42', '42']);
  });

  test('cache owners go to the distributed caches that live only in memory (26.4+)', () => {
    const { options } = render({ keycloak: { cacheOwners: 3 } });
    expect(options).toMatchObject({
      'spi-cache-embedded--default--authentication-sessions-owners': '3',
      'spi-cache-embedded--default--action-tokens-owners': '3',
      'spi-cache-embedded--default--login-failures-owners': '3',
    });
    const older = render({ version: KeycloakVersion.of('26.2.0') }).options;
    expect(Object.keys(older).filter((name) => name.endsWith('-owners'))).toEqual([]);
  });

  test('with the upstream image the driver tries every instance and keeps the writer', () => {
    const { options } = render();
    expect(options['db-url']).toBe(
      'jdbc:postgresql://kc-1.x.rds.amazonaws.com:5432,kc-2.x.rds.amazonaws.com:5432/keycloak?targetServerType=primary&sslmode=require',
    );
    expect(options['db-driver']).toBeUndefined();
  });

  test('with the AWS JDBC wrapper the cluster endpoint is used through the wrapper driver', () => {
    const { options } = render({ keycloak: { image: KeycloakImage.fromRegistry('r/kc:1', { bundlesAwsJdbcWrapper: true }) } });
    expect(options['db-url']).toBe('jdbc:aws-wrapper:postgresql://kc.cluster-x.eu-west-1.rds.amazonaws.com:5432/keycloak?sslmode=require');
    expect(options['db-driver']).toBe('software.amazon.jdbc.Driver');
  });

  test('credentials are references to secrets, never values', () => {
    const config = render();
    expect(config.secretOptions).toEqual({
      'bootstrap-admin-password': { source: 'bootstrap-admin', key: 'password' },
      'db-password': { source: 'database-credentials', key: 'password' },
      'db-username': { source: 'database-credentials', key: 'username' },
    });
    expect(Object.keys(config.options).filter((name) => /password|username$/.test(name))).toEqual(['bootstrap-admin-username']);
  });

  test('options come out sorted, so the output is stable', () => {
    const names = Object.keys(render().options);
    expect(names).toEqual([...names].sort());
  });

  test('refuses an unknown site', () => {
    expect(() => renderKeycloakConfig(defineTopology(input), 'other', facts)).toThrow("unknown site 'other'");
  });
});

describe('option spellings', () => {
  test.each([
    ['cache-stack', 'KC_CACHE_STACK'],
    ['db-pool-max-size', 'KC_DB_POOL_MAX_SIZE'],
    ['event-metrics-user-enabled', 'KC_EVENT_METRICS_USER_ENABLED'],
    ['http-metrics-histograms-enabled', 'KC_HTTP_METRICS_HISTOGRAMS_ENABLED'],
    ['spi-cache-embedded--default--action-tokens-owners', 'KC_SPI_CACHE_EMBEDDED__DEFAULT__ACTION_TOKENS_OWNERS'],
  ])('%s is %s in the environment', (option, env) => {
    expect(optionEnvName(option)).toBe(env);
  });

  test('CLI arguments carry the same options', () => {
    expect(toCliArgs({ 'cache-stack': 'jdbc-ping', hostname: 'https://a.b' })).toEqual(['--cache-stack=jdbc-ping', '--hostname=https://a.b']);
  });
});

describe('renderKeycloakConfig with several sites', () => {
  const twoSites: TopologyInput = {
    hostname: 'auth.example.com',
    sites: { 'eu-a': { region: 'eu-west-1', cidr: '10.10.0.0/16' }, 'eu-b': { region: 'eu-west-1', cidr: '10.20.0.0/16' } },
  };
  const remote = { host: 'infinispan.keycloak.svc', port: 11222, truststorePath: '/opt/keycloak/conf/infinispan-ca/ca.pem' };

  test('GIVEN a site of an active/active topology THEN Keycloak uses its own site\'s Infinispan over TLS with the multi-site feature', () => {
    const config = renderKeycloakConfig(defineTopology(twoSites), 'eu-b', { ...facts, externalInfinispan: remote });
    expect(config.options).toMatchObject({
      features: 'multi-site',
      'cache-remote-host': 'infinispan.keycloak.svc',
      'cache-remote-port': '11222',
      'cache-remote-tls-enabled': 'true',
      'truststore-paths': '/opt/keycloak/conf/infinispan-ca/ca.pem',
    });
    expect(config.secretOptions).toMatchObject({
      'cache-remote-username': { source: 'infinispan-credentials', key: 'username' },
      'cache-remote-password': { source: 'infinispan-credentials', key: 'password' },
    });
    expect(toEnvironment(config.options).KC_FEATURES).toBe('multi-site');
  });

  test('with multi-site Keycloak forms no embedded cluster: no cache stack, no mTLS, no owner options, no JGroups ports', () => {
    const config = renderKeycloakConfig(defineTopology(twoSites), 'eu-a', { ...facts, externalInfinispan: remote });
    expect(config.embeddedCluster).toBe(false);
    expect(Object.keys(config.options).filter((o) => o === 'cache-stack' || o.startsWith('cache-embedded') || o.startsWith('spi-cache-embedded'))).toEqual([]);
  });

  test('a single site keeps its caches embedded', () => {
    const config = renderKeycloakConfig(defineTopology(input), 'main', facts);
    expect(Object.keys(config.options).filter((o) => o.startsWith('cache-remote') || o === 'features')).toEqual([]);
    expect(config.embeddedCluster).toBe(true);
    expect(config.options['cache-stack']).toBe('jdbc-ping');
  });

  test('several sites without the external Infinispan fact is refused', () => {
    expect(() => renderKeycloakConfig(defineTopology(twoSites), 'eu-a', facts)).toThrow(/site 'eu-a' of a active-active topology needs facts.externalInfinispan/);
  });
});

describe('database TLS', () => {
  test('GIVEN the RDS CA bundle in the image THEN the driver verifies the server certificate and host name', () => {
    const image = KeycloakImage.fromRegistry('r/kc:1', { bundlesAwsJdbcWrapper: true, rdsCaBundlePath: '/opt/keycloak/conf/rds-global-bundle.pem' });
    expect(renderKeycloakConfig(defineTopology({ ...input, keycloak: { image } }), 'main', facts).options['db-url'])
      .toMatch(/\?sslmode=verify-full&sslrootcert=\/opt\/keycloak\/conf\/rds-global-bundle\.pem$/);
  });
});
