import { isHostnameProblem, parseHostname } from '../model/hostname';
import { Topology } from '../model/topology';
import { DeploymentNames } from './names';
import { CROSS_SITE_CACHES, crossSiteCommands, kcadmCacheClears } from './runbook';

/**
 * RUNBOOK.md for a Kubernetes deployment: kubectl commands with this deployment's namespace,
 * object names and sites (each site is a cluster: run its commands in that cluster's context).
 */
export function renderKubernetesRunbook(topology: Topology, names: DeploymentNames): string {
  const parsed = parseHostname(topology.keycloak.hostname);
  const url = isHostnameProblem(parsed) ? topology.keycloak.hostname : parsed.url;
  const ns = names.namespace ?? 'keycloak';
  const k = `kubectl -n ${ns}`;
  const out: string[] = [`# Runbook: Keycloak ${names.deployment} on Kubernetes (${url})`, ''];
  out.push(`Mode: **${topology.mode}**. Each site is a cluster: run its commands in that cluster's kubectl context.`, '');
  for (const site of Object.values(topology.sites)) {
    out.push(`## Site ${site.name}`, '');
    out.push('### Check health', '', '```sh',
      `${k} get deployment/keycloak pdb/keycloak`,
      `${k} get pods -l app.kubernetes.io/name=keycloak -o wide   # spread over zones and nodes`,
      ...(topology.mode === 'single-site' ? [] : [`${k} get statefulset/infinispan pods -l app.kubernetes.io/name=infinispan`]),
      '```', '');
    out.push('### Restart Keycloak, one pod at a time', '',
      'The Deployment surges one pod and removes an old one only when the new one is ready (maxUnavailable 0).', '',
      '```sh', `${k} rollout restart deployment/keycloak`, `${k} rollout status deployment/keycloak`, '```', '');
    out.push('### After losing a node or a zone', '',
      'Pods on an unreachable node are evicted only after their not-ready/unreachable tolerations (300 s by default);',
      'the zone spread lets replacements start in the surviving zones. To move them at once:', '',
      '```sh', `kubectl get nodes   # NotReady nodes`, `kubectl drain <node> --ignore-daemonsets --delete-emptydir-data --force`, '```', '');
  }
  const cluster = names.cloudNativePgCluster;
  out.push('## Database', '', ...(cluster
    ? [`CloudNativePG cluster \`${cluster}\` fails over by itself; for a planned switchover to another instance:`, '',
      '```sh', `kubectl cnpg -n ${ns} status ${cluster}`, `kubectl cnpg -n ${ns} promote ${cluster} <instance>`, '```', '']
    : ['The database is external (e.g. Aurora): fail it over with its own tooling (`aws rds failover-db-cluster ...`); Keycloak reconnects.', '']));
  // The Ingress forwards no /admin/: kcadm runs inside a Keycloak pod against its own HTTP port.
  const kcadm = '/opt/keycloak/bin/kcadm.sh';
  out.push(...kcadmCacheClears(url, {
    where: 'The Ingress does not forward `/admin/`: run `kcadm.sh` inside a Keycloak pod, against that pod (invalidations reach every node). ' +
      'With several sites, run it in each site\'s cluster context.',
    login: `${k} exec -it deployment/keycloak -- ${kcadm} config credentials --config /tmp/kcadm.config --server http://localhost:8080 --realm master --user <administrator>`,
    run: (script) => `${k} exec -i deployment/keycloak -- bash -s <<'EOF'\nkcadm.sh() { ${kcadm} "$@" --config /tmp/kcadm.config; }\n${script}\nEOF`,
  }));
  if (topology.mode !== 'single-site') {
    // From inside the pod to localhost: no NetworkPolicy applies (it admits only Keycloak's pods to
    // 11222), and the server certificate names the Service, not localhost, hence --trustall.
    out.push('## Cross-site operations (Infinispan)', '',
      'In the site that stays up, open the Infinispan CLI in a server pod and log in with the operator user of `infinispan.operatorCredentialsSecret` ' +
        "(role admin; Keycloak's Hot Rod user has role deployer, which may use the caches but not change cross-site state):", '',
      '```sh', `${k} exec -it infinispan-0 -- /opt/infinispan/bin/cli.sh -c https://localhost:11222 --trustall`, '```', '',
      `Then, in the CLI (caches: ${CROSS_SITE_CACHES.join(', ')}):`, '');
    out.push(...crossSiteCommands(topology));
  }
  out.push('## Monthly failover drill', '',
    `- [ ] \`${k} delete pod <one keycloak pod>\` during business hours; logins keep working; a replacement is ready within minutes.`,
    '- [ ] Cordon and drain one node; confirm the PodDisruptionBudget holds and pods land in other zones.',
    ...(topology.mode !== 'single-site' ? [
      '- [ ] Take the other site offline in Infinispan, bring it back online, push state, clear caches.',
      '- [ ] Fail DNS over to the other site and back; measure the time clients took to move.',
    ] : []),
    '- [ ] Check that every alert of the drill reached its receiver.',
    '');
  return `${out.join('\n')}\n`;
}
