import { parseHostname, isHostnameProblem } from '../model/hostname';
import { Topology } from '../model/topology';
import { DISTRIBUTED_CACHES } from '../render/keycloak-options';
import { DeploymentNames, siteResourceName } from './names';

/** Caches Keycloak keeps in the external Infinispan: the cross-site operations act on each. */
export const CROSS_SITE_CACHES = ['actionTokens', 'authenticationSessions', 'loginFailures', 'work'];

/**
 * RUNBOOK.md: the operations of this topology with its real names (clusters, services, database
 * instances, hostname), so on-call engineers copy commands instead of composing them at 3 a.m.
 */
export function renderRunbook(topology: Topology, names: DeploymentNames): string {
  const parsed = parseHostname(topology.keycloak.hostname);
  const url = isHostnameProblem(parsed) ? topology.keycloak.hostname : parsed.url;
  const out: string[] = [`# Runbook: Keycloak ${names.deployment} (${url})`, ''];
  out.push(`Mode: **${topology.mode}**. Sites: ${Object.values(topology.sites).map((s) => `\`${s.name}\` (${s.region})`).join(', ')}.`, '');
  for (const site of Object.values(topology.sites)) {
    const prefix = siteResourceName(names, site.name);
    const r = `--region ${site.region}`;
    out.push(`## Site ${site.name}`, '');
    out.push('### Check health', '', '```sh',
      `aws ecs describe-services --cluster ${prefix} --services keycloak ${r} --query 'services[0].{desired:desiredCount,running:runningCount,deployments:deployments[].rolloutState}'`,
      `aws elbv2 describe-target-health ${r} --target-group-arn "$(aws elbv2 describe-target-groups ${r} --load-balancer-arn "$(aws elbv2 describe-load-balancers ${r} --names ${prefix} --query 'LoadBalancers[0].LoadBalancerArn' --output text)" --query 'TargetGroups[0].TargetGroupArn' --output text)"`,
      `aws rds describe-db-clusters --db-cluster-identifier ${prefix} ${r} --query 'DBClusters[0].DBClusterMembers'`,
      '```', '');
    out.push('### Restart Keycloak, one node at a time', '',
      'Deployments start one new task, wait until it is healthy, then stop one old task, so both owners of a cache entry never leave together.', '',
      '```sh', `aws ecs update-service --cluster ${prefix} --service keycloak --force-new-deployment ${r}`, '```', '');
    out.push('### Fail the database over to another zone', '',
      `Aurora promotes a reader (typically within a minute). Keycloak reconnects; readiness checks allow ${readinessToleranceSeconds(topology)} s before a node is replaced.`, '',
      '```sh',
      ...Array.from({ length: topology.database.instances }, (_, i) =>
        `aws rds failover-db-cluster --db-cluster-identifier ${prefix} --target-db-instance-identifier ${prefix}-${i + 1} ${r}`),
      '```', '',
      'Pick a target instance that is currently a reader.', '');
    out.push('### Rotate the database password now', '',
      `The password rotates by itself on the 1st of each month (05:00–06:00 UTC) and the service rolls at 06:05 UTC. Out of schedule:`, '',
      '```sh',
      `aws secretsmanager rotate-secret ${r} --secret-id "$(aws rds describe-db-clusters --db-cluster-identifier ${prefix} ${r} --query 'DBClusters[0].MasterUserSecret.SecretArn' --output text)"`,
      `# wait until the rotation finished (about a minute), then roll every task onto the new password:`,
      `aws ecs update-service --cluster ${prefix} --service keycloak --force-new-deployment ${r}`,
      '```', '');
  }
  out.push(...kcadmCacheClears(url));
  if (topology.mode !== 'single-site') out.push(...crossSiteSections(topology, names));
  out.push('## Monthly failover drill', '',
    '- [ ] Restart one site\'s Keycloak service (above) during business hours; watch logins keep working.',
    '- [ ] Fail the database over to another zone; record how long writes failed (target: under a minute).',
    `- [ ] Stop one task by hand (\`aws ecs stop-task\`); confirm a replacement is healthy within ${recoverySeconds(topology)} s.`,
    ...(topology.mode !== 'single-site' ? [
      '- [ ] Take the secondary site offline in Infinispan, bring it back online, push state, clear caches.',
      '- [ ] Fail DNS over to the secondary site and back; measure the time clients took to move.',
    ] : []),
    '- [ ] Check that the alarm topic received every alarm of the drill.',
    `- [ ] Distributed caches keeping ${topology.caches.owners} owners each: ${DISTRIBUTED_CACHES.join(', ')}.`,
    '');
  return `${out.join('\n')}\n`;
}

/** How long readiness may fail before the load balancer (and so ECS) gives a node up. */
function readinessToleranceSeconds(topology: Topology): number {
  const check = topology.traffic.targetHealthCheck;
  return (check.unhealthyThreshold - 1) * check.intervalSeconds;
}

/** Readiness detection + a task start, as the target health settings bound it. */
function recoverySeconds(topology: Topology): number {
  const check = topology.traffic.targetHealthCheck;
  return check.intervalSeconds * check.unhealthyThreshold + topology.traffic.deregistrationDelaySeconds + 300;
}

/** Clearing Keycloak's local caches in every realm (after a restore or bringing a site back). */
export function kcadmCacheClears(url: string): string[] {
  return ['## Clear Keycloak caches', '',
    'After restoring the database, or after bringing a site back online, realms, users and keys cached by each node may be stale.',
    '`/admin/` answers only from the networks allowed to reach it.', '',
    '```sh',
    `kcadm.sh config credentials --server ${url} --realm master --user <administrator>`,
    'for realm in $(kcadm.sh get realms --fields realm --format csv --noquotes); do',
    '  kcadm.sh create "realms/$realm/clear-realm-cache" -s realm="$realm"',
    '  kcadm.sh create "realms/$realm/clear-user-cache" -s realm="$realm"',
    '  kcadm.sh create "realms/$realm/clear-keys-cache" -s realm="$realm"',
    'done', '```', ''];
}

/** Per pair of sites: take the other site offline, bring it back, push state (Infinispan CLI). */
export function crossSiteCommands(topology: Topology): string[] {
  const sites = Object.values(topology.sites);
  const out: string[] = [];
  for (const site of sites) {
    const others = sites.filter((s) => s.name !== site.name);
    for (const other of others) {
      out.push(`### From ${site.name}: take ${other.name} offline, then bring it back`, '', '```sh',
        ...CROSS_SITE_CACHES.map((cache) => `site take-offline --cache=${cache} --site=${other.name}`),
        `# ... once ${other.name} is healthy again:`,
        ...CROSS_SITE_CACHES.map((cache) => `site bring-online --cache=${cache} --site=${other.name}`),
        ...CROSS_SITE_CACHES.map((cache) => `site push-site-state --cache=${cache} --site=${other.name}`),
        '```', '', `Then clear Keycloak caches in ${other.name} (above).`, '');
    }
  }
  return out;
}

function crossSiteSections(topology: Topology, names: DeploymentNames): string[] {
  const sites = Object.values(topology.sites);
  const out: string[] = ['## Cross-site operations (Infinispan)', '',
    "Run the Infinispan CLI against the site that stays up (`bin/cli.sh -c https://<its Infinispan>:11222`), for each cache Keycloak keeps there.", '',
    ...crossSiteCommands(topology)];
  if (topology.mode === 'active-passive') {
    const primary = siteResourceName(names, topology.primarySite);
    out.push('## Database: switch over or fail over the global database', '',
      'A switchover (planned, both regions up) loses nothing. A failover (primary region down) may lose the writes not yet replicated.', '',
      '```sh',
      ...sites.filter((s) => s.name !== topology.primarySite).flatMap((s) => [
        `aws rds switchover-global-cluster --global-cluster-identifier ${names.deployment} --target-db-cluster-identifier "$(aws rds describe-db-clusters --db-cluster-identifier ${siteResourceName(names, s.name)} --region ${s.region} --query 'DBClusters[0].DBClusterArn' --output text)" --region ${s.region}`,
        `aws rds failover-global-cluster --global-cluster-identifier ${names.deployment} --allow-data-loss --target-db-cluster-identifier "$(aws rds describe-db-clusters --db-cluster-identifier ${siteResourceName(names, s.name)} --region ${s.region} --query 'DBClusters[0].DBClusterArn' --output text)" --region ${s.region}`,
      ]),
      '```', '', `Fail back to ${primary} with a switchover once its region is healthy.`, '');
  }
  return out;
}
