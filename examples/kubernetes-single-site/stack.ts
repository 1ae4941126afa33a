import { TerraformStack, TerraformVariable } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { Construct } from 'constructs';
import { KeycloakImage, KeycloakOnKubernetes, KeycloakVersion } from '../../lib/index-kubernetes';

/**
 * One Kubernetes cluster over three zones: Keycloak scaled by CPU between 3 and 6 pods, its
 * PostgreSQL a CloudNativePG cluster of three instances (one per zone, every commit on a standby
 * in another zone), monitored through the Prometheus Operator.
 */
export class KubernetesSingleSiteStack extends TerraformStack {
  readonly keycloak: KeycloakOnKubernetes;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const provider = new KubernetesProvider(this, 'kubernetes', { configPath: '~/.kube/config', configContext: 'keycloak-prod' });
    this.keycloak = new KeycloakOnKubernetes(this, 'Keycloak', {
      hostname: 'auth.example.com',
      version: KeycloakVersion.V26_7_0,
      keycloak: { image: KeycloakImage.fromRegistry('quay.io/keycloak/keycloak:26.7.0'), vcpu: 2, memoryMiB: 4096 },
      sites: {
        main: { region: 'eu-west-1', zones: 3, nodes: 3, provider, trustedProxyCidrs: ['10.244.0.0/16'] },
      },
      database: { instances: 3 },
      // CloudNativePG creates the owner's password into the Secret `keycloak-db-app`.
      databaseConnection: {
        cnpg: { clusterName: 'keycloak-db' },
        credentialsSecret: { name: 'keycloak-db-app', usernameKey: 'username', passwordKey: 'password' },
        createCloudNativePgCluster: true,
        cloudNativePg: {
          storageSize: '50Gi',
          storageClass: 'gp3',
          imageName: 'ghcr.io/cloudnative-pg/postgresql:17.5',
          resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '2Gi' } },
        },
      },
      bootstrapAdminSecret: { name: 'keycloak-bootstrap-admin', usernameKey: 'username', passwordKey: 'password' },
      ingress: { className: 'nginx', tlsSecretName: 'auth-example-com-tls' },
      hpa: { minReplicas: 3, maxReplicas: 6, cpuUtilization: 70 },
      monitoring: { prometheusNamespace: 'monitoring' },
    });
    // The two Secrets this deployment reads that CloudNativePG does not create, from sensitive
    // variables (TF_VAR_*) through write-only attributes: neither the files nor the state hold them.
    const variable = (name: string) => new TerraformVariable(this, name, { type: 'string', sensitive: true }).stringValue;
    const namespace = this.keycloak.namespaceOf('main');
    this.keycloak.dependOnSecrets('main',
      new SecretV1(this, 'bootstrap-admin', {
        provider, metadata: { name: 'keycloak-bootstrap-admin', namespace },
        dataWo: { username: variable('admin_username'), password: variable('admin_password') }, dataWoRevision: 1,
      }),
      new SecretV1(this, 'tls', {
        provider, type: 'kubernetes.io/tls', metadata: { name: 'auth-example-com-tls', namespace },
        dataWo: { 'tls.crt': variable('tls_crt'), 'tls.key': variable('tls_key') }, dataWoRevision: 1,
      }));
  }
}
