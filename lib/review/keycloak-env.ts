import { planSiteNetwork } from '../model/network-plan';
import { Topology } from '../model/topology';
import { renderKeycloakConfig, SecretReference, secretOptionEnvName, toEnvironment } from '../render/keycloak-options';
import { DeploymentNames, siteResourceName } from './names';

/**
 * The Keycloak environment of one site as a reviewer reads it: every option the tasks get, with
 * infrastructure endpoints and secrets shown as named placeholders, never as values.
 */
export function renderKeycloakEnv(topology: Topology, site: string, names: DeploymentNames): string {
  const prefix = siteResourceName(names, site);
  const spec = topology.sites[site];
  const config = renderKeycloakConfig(topology, site, {
    database: {
      writerEndpoint: `<writer endpoint of Aurora cluster ${prefix}>`,
      instanceEndpoints: Array.from({ length: topology.database.instances }, (_, i) => `<endpoint of instance ${prefix}-${i + 1}>`),
      port: 5432,
    },
    trustedProxyCidrs: planSiteNetwork(spec).zones.map((zone) => zone.public),
    ...(topology.mode === 'single-site' ? {} : {
      externalInfinispan: { host: `<Infinispan of site ${site}>`, port: 11222, truststorePath: `<CA of the Infinispan of site ${site}>` },
    }),
  });
  const secretName = (ref: SecretReference) =>
    ref.source === 'bootstrap-admin' ? `${prefix}/bootstrap-admin`
      : ref.source === 'infinispan-credentials' ? `Infinispan credentials of ${prefix}` : `database credentials of ${prefix}`;
  const lines = [
    `# Keycloak ${topology.keycloak.version.text}, site ${site}: environment of every task (kc.sh ${config.command.join(' ')})`,
    '# Secrets come from Secrets Manager through ECS `secrets`; only their sources are shown.',
    ...Object.entries(toEnvironment(config.options)).map(([name, value]) => `${name}=${value}`),
    ...Object.entries(config.secretOptions).map(([option, ref]) => `${secretOptionEnvName(option, topology.keycloak.version)}=<secret ${secretName(ref)}, key ${ref.key}>`),
  ];
  return `${lines.join('\n')}\n`;
}
