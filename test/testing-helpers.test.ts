import { TerraformStack, Testing } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { KeycloakOnKubernetes } from '../lib/index-kubernetes';
import { summarizeStack } from '../lib/testing/summary';
import { synthKeycloak } from './helpers';

describe('summarizeStack (for users\' snapshot tests)', () => {
  const summary = summarizeStack(synthKeycloak().text);

  test('lists every resource with the properties a reviewer checks, without construct hashes in references', () => {
    expect(summary).toMatch(/^ {2}aws_ecs_service\.Keycloak_eu-west_Keycloak_Service_[0-9A-F]{8} {2}desired_count=3 deployment_minimum_healthy_percent=100 deployment_maximum_percent=134$/m);
    expect(summary).toContain('availability_zone="data.aws_availability_zones.Keycloak_eu-west_Network_AvailableZones.names.0"');
    expect(summary).toContain('  KCRAW_DB_PASSWORD <- aws_secretsmanager_secret.Keycloak_eu-west_Database_KeycloakCredentials.arn:password::');
    expect(summary).toMatch(/ingress aws_security_group\.Keycloak_eu-west_Keycloak_SecurityGroup\.id tcp\/7800 from aws_security_group\.Keycloak_eu-west_Keycloak_SecurityGroup\.id/);
  });

  test('is stable and moves with the topology', () => {
    expect(summarizeStack(synthKeycloak().text)).toBe(summary);
    expect(summarizeStack(synthKeycloak({ sites: { 'eu-west': { region: 'eu-west-1', nodes: 6 } } }).text)).toContain('desired_count=6');
  });
});

describe('summarizeStack on Kubernetes', () => {
  const synthSite = (nodes: number) => {
    const stack = new TerraformStack(Testing.app(), 'stack');
    const provider = new KubernetesProvider(stack, 'kubernetes', { configPath: '~/.kube/config' });
    new KeycloakOnKubernetes(stack, 'Keycloak', {
      hostname: 'auth.example.com',
      sites: { main: { region: 'eu-west-1', zones: 3, nodes, provider, trustedProxyCidrs: ['10.244.0.0/16'] } },
      databaseConnection: { jdbcUrl: 'jdbc:postgresql://db.example.net:5432/keycloak', credentialsSecret: { name: 'db', usernameKey: 'username', passwordKey: 'password' } },
      bootstrapAdminSecret: { name: 'admin', passwordKey: 'password' },
      ingress: { tlsSecretName: 'auth-tls' },
    });
    return summarizeStack(Testing.synth(stack));
  };
  const summary = synthSite(3);

  test('shows replicas, image, ports, probes, resources and environment of each workload', () => {
    expect(summary).toMatch(/^workload kubernetes_deployment_v1\.Keycloak_main_Deployment-keycloak_[0-9A-F]{8}: replicas=3 /m);
    expect(summary).toMatch(/^ {2}container keycloak: quay\.io\/keycloak\/keycloak:\S+ ports=8080,9000,7800,57800 probes=\/health\/started:9000 \/health\/ready:9000 \/health\/live:9000 resources=/m);
    // Keycloak 26.7+ (the default) reads secret options literally from KCRAW_ variables.
    expect(summary).toMatch(/^ {4}KCRAW_DB_PASSWORD <- secret db\/password$/m);
    expect(summary).toMatch(/^disruption budget \S+: max_unavailable=1 /m);
    expect(summary).toMatch(/^network policy \S+: to pods\(.*\) TCP\/8080 from ns\(kubernetes\.io\/metadata\.name=ingress-nginx\)$/m);
  });

  test('a change of nodes shows up', () => {
    expect(synthSite(6)).toMatch(/replicas=6 /);
    expect(synthSite(6)).not.toBe(summary);
  });
});
