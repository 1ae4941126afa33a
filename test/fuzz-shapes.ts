import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { DnsRouting } from '../lib/aws/dns-routing';
import { HostedZone } from '../lib/aws/references';
import { runChecks, SynthesizedResource } from '../lib/checks';
import { TopologyError } from '../lib/model/diagnostic';
import { KeycloakOnAws, KeycloakOnAwsProps } from '../lib/patterns/keycloak-on-aws';
import { KeycloakOnKubernetes, KeycloakOnKubernetesProps } from '../lib/patterns/keycloak-on-kubernetes';
import { shapeInput, shapeRouting, TopologyShape } from './arbitraries';
import { withScratchFolderAsync } from './conformance';

const ZONE = { zoneId: 'Z04213802QEXAMPLE1234', zoneName: 'example.com' };
const ACCOUNT = '123456789012';

function routingOf(shape: TopologyShape): DnsRouting | undefined {
  const spec = shapeRouting(shape);
  switch (spec?.kind) {
    case undefined: return undefined;
    case 'failover': return DnsRouting.failover({ primary: spec.primarySite ?? '' });
    case 'latency': return DnsRouting.latency();
    case 'geolocation': return DnsRouting.geolocation(spec.locations ?? {}, { default: spec.defaultSite ?? '' });
  }
}

/** The props of a shape on AWS: sites in the global stack or their own, with or without providers. */
export function awsShapeProps(app: App, global: TerraformStack, shape: TopologyShape): KeycloakOnAwsProps {
  const multi = shape.sites.length > 1;
  const routing = routingOf(shape);
  const input = shapeInput(shape);
  return {
    ...input,
    hostedZone: HostedZone.fromAttributes(ZONE),
    sites: Object.fromEntries(shape.sites.map((site) => {
      const stack = site.ownStack ? new TerraformStack(app, `site-${site.name}`) : undefined;
      const provider = site.provider ? new AwsProvider(stack ?? global, `aws-${site.name}`, {
        region: site.region, ...(stack ? {} : { alias: site.name }),
      }) : undefined;
      return [site.name, {
        ...input.sites[site.name],
        ...(stack ? { stack } : {}),
        ...(provider ? { provider } : {}),
        ...(multi ? { infinispanTlsSecretArn: `arn:aws:secretsmanager:${site.region}:${ACCOUNT}:secret:keycloak-${site.name}/tls-AbCdEf` } : {}),
      }];
    })),
    dns: {
      ...(routing ? { routing } : {}),
      ...(shape.trafficDirector ? { trafficDirector: shape.trafficDirector } : {}),
      ...(shape.healthCheck ? { healthCheck: shape.healthCheck } : {}),
    },
  };
}

/**
 * The props of a shape on Kubernetes: one cluster per site (in the global stack or its own, with or
 * without an AWS provider there), Gossip Routers, Route 53 when `shape.dns`.
 */
export function kubernetesShapeProps(app: App, global: TerraformStack, shape: TopologyShape): KeycloakOnKubernetesProps {
  const routing = routingOf(shape) ?? DnsRouting.latency();
  const input = shapeInput(shape);
  return {
    ...input,
    sites: Object.fromEntries(shape.sites.map((site, i) => {
      const stack = site.ownStack ? new TerraformStack(app, `site-${site.name}`) : undefined;
      return [site.name, {
        ...input.sites[site.name],
        ...(stack ? { stack } : {}),
        ...(stack && site.provider ? { awsProvider: new AwsProvider(stack, 'aws', { region: site.region }) } : {}),
        provider: new KubernetesProvider(stack ?? global, `k8s-${site.name}`, { alias: site.name, configPath: '~/.kube/config', configContext: site.name }),
        trustedProxyCidrs: [`10.${10 + i}.0.0/16`],
        gossipRouter: { host: `router.${site.name}.example.com`, allowedClientCidrs: ['203.0.113.0/24'] },
      }];
    })),
    databaseConnection: {
      jdbcUrl: 'jdbc:postgresql://db.example.com:5432/keycloak',
      credentialsSecret: { name: 'keycloak-db', usernameKey: 'username', passwordKey: 'password' },
    },
    bootstrapAdminSecret: { name: 'keycloak-admin', usernameKey: 'username', passwordKey: 'password' },
    ingress: { className: 'nginx', tlsSecretName: 'auth-tls' },
    infinispan: {
      credentialsSecret: { name: 'infinispan-keycloak', usernameKey: 'username', passwordKey: 'password' },
      operatorCredentialsSecret: { name: 'infinispan-operator', usernameKey: 'username', passwordKey: 'password' },
      hotRodTls: { keystoreSecretName: 'infinispan-tls', keystoreKey: 'keystore.p12', password: { name: 'infinispan-tls', key: 'password' } },
      caSecret: { name: 'infinispan-ca', key: 'ca.pem' },
    },
    ...(shape.dns ? {
      dns: {
        hostedZone: HostedZone.fromAttributes(ZONE),
        routing,
        ...(shape.healthCheck ? { healthCheck: shape.healthCheck } : {}),
      },
    } : {}),
  };
}

/** What became of one shape: built, synthesized and reviewed; rejected with codes; or crashed. */
export type ShapeOutcome =
  | { readonly kind: 'accepted'; readonly findings: readonly string[]; readonly bundle: readonly string[] }
  | { readonly kind: 'coded'; readonly codes: readonly string[] }
  | { readonly kind: 'crash'; readonly error: Error };

/**
 * Builds the shape in a fresh app, synthesizes every stack, runs the whole check pack over every
 * resource of every stack and writes the review bundle.
 */
export async function runShape(shape: TopologyShape): Promise<ShapeOutcome> {
  let outcome: ShapeOutcome | undefined;
  await withScratchFolderAsync('fuzz-', async (outdir) => {
    try {
      const app = new App({ outdir });
      const global = new TerraformStack(app, 'global');
      new AwsProvider(global, 'aws', { region: shape.sites[0].region });
      const construct = shape.substrate === 'aws'
        ? new KeycloakOnAws(global, 'Keycloak', awsShapeProps(app, global, shape))
        : new KeycloakOnKubernetes(global, 'Keycloak', kubernetesShapeProps(app, global, shape));
      app.synth();
      const stacksDir = join(outdir, 'stacks');
      const resources: SynthesizedResource[] = readdirSync(stacksDir).flatMap((stack) => {
        const json = JSON.parse(readFileSync(join(stacksDir, stack, 'cdk.tf.json'), 'utf8')) as { resource?: Record<string, Record<string, Record<string, unknown>>> };
        return Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
          Object.entries(byName).map(([name, body]) => ({ type, name, path: `${stack}/${name}`, body })));
      });
      const findings = runChecks(resources).filter((f) => f.severity === 'error').map((f) => `[${f.ruleId}] ${f.address}: ${f.detail}`);
      const bundle = await construct.writeReviewBundle(join(outdir, 'review'));
      outcome = { kind: 'accepted', findings, bundle: bundle.map((file) => readFileSync(file, 'utf8')) };
    } catch (error) {
      outcome = error instanceof TopologyError
        ? { kind: 'coded', codes: error.diagnostics.map((d) => d.code) }
        : { kind: 'crash', error: error instanceof Error ? error : new Error(String(error)) };
    }
  });
  return outcome!;
}

/** The crash classes of issue 15, by the message each produced before it was fixed. */
export function crashClass(error: Error): string {
  const message = error.message;
  if (/reading 'text'/.test(message)) return 'failure table with several standbys (TypeError)';
  if (/circular dependency/.test(message)) return 'mixed stack placement (circular dependency)';
  if (/without a matching provider/.test(message)) return 'site stack without an AWS provider (cdktf)';
  if (/^(GeoDns|DnsRouting)/.test(message)) return 'GeoDNS / accelerator routing (plain Error)';
  return `other: ${error.name}: ${message.split('\n')[0].slice(0, 160)}`;
}
