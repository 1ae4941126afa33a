import { databaseHolders, globalClusterName, infinispanHost } from '../model/site-layout';
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
  const multiSite = topology.mode !== 'single-site';
  const holderOf = databaseHolders(topology);
  const holders = new Set(holderOf.values());
  if (multiSite) out.push(...infinispanTlsSection(topology, names));
  for (const site of Object.values(topology.sites)) {
    const prefix = siteResourceName(names, site.name);
    const r = `--region ${site.region}`;
    const holder = holders.has(site.name);
    out.push(`## Site ${site.name}`, '');
    if (!holder) out.push(`Keycloak here uses the database of site ${holderOf.get(site.region)} (same region): its database steps are there.`, '');
    out.push('### Check health', '', '```sh',
      `aws ecs describe-services --cluster ${prefix} --services keycloak ${r} --query 'services[0].{desired:desiredCount,running:runningCount,deployments:deployments[].rolloutState}'`,
      `aws elbv2 describe-target-health ${r} --target-group-arn "$(aws elbv2 describe-target-groups ${r} --load-balancer-arn "$(aws elbv2 describe-load-balancers ${r} --names ${prefix} --query 'LoadBalancers[0].LoadBalancerArn' --output text)" --query 'TargetGroups[0].TargetGroupArn' --output text)"`,
      ...(holder ? [`aws rds describe-db-clusters --db-cluster-identifier ${prefix} ${r} --query 'DBClusters[0].DBClusterMembers'`] : []),
      ...(multiSite ? [
        `aws ecs describe-services --cluster ${prefix}-infinispan --services infinispan ${r} --query 'services[0].{desired:desiredCount,running:runningCount}'`,
        `# /lb-check answers 503 while this site's Infinispan link is down (DNS then sends users elsewhere):`,
        `curl -s -o /dev/null -w '%{http_code}\\n' "https://$(aws elbv2 describe-load-balancers ${r} --names ${prefix} --query 'LoadBalancers[0].DNSName' --output text)/lb-check" -H 'Host: ${parsed && !isHostnameProblem(parsed) ? parsed.host : topology.keycloak.hostname}' -k`,
      ] : []),
      '```', '');
    out.push('### Restart Keycloak, one node at a time', '',
      'Deployments start one new task, wait until it is healthy, then stop one old task, so both owners of a cache entry never leave together.', '',
      '```sh', `aws ecs update-service --cluster ${prefix} --service keycloak --force-new-deployment ${r}`, '```', '');
    if (!holder) continue;
    out.push('### Fail the database over to another zone', '',
      `Aurora promotes a reader (typically within a minute). Keycloak reconnects; readiness checks allow ${readinessToleranceSeconds(topology)} s before a node is replaced.`, '',
      '```sh',
      ...Array.from({ length: topology.database.instances }, (_, i) =>
        `aws rds failover-db-cluster --db-cluster-identifier ${prefix} --target-db-instance-identifier ${prefix}-${i + 1} ${r}`),
      '```', '',
      'Pick a target instance that is currently a reader.', '');
    out.push('### Rotate the database master password now', '',
      `Keycloak logs in as its own role (\`database-role.sql\`, secret \`${prefix}/database-app\`); only the \`database-role\` container of each task reads the master password, when the task starts. ` +
        'The role\'s password is set again at every task start: change that secret only together with a roll, and expect running tasks\' reconnects to fail until they are replaced.', '',
      `The master password rotates by itself on the 1st of each month (05:00–06:00 UTC) and the service rolls at 06:05 UTC. Out of schedule:`, '',
      '```sh',
      `aws secretsmanager rotate-secret ${r} --secret-id "$(aws rds describe-db-clusters --db-cluster-identifier ${prefix} ${r} --query 'DBClusters[0].MasterUserSecret.SecretArn' --output text)"`,
      `# wait until the rotation finished (about a minute); rolling the tasks is optional (they do not hold it):`,
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
export function kcadmCacheClears(url: string, via?: { readonly where: string; readonly login: string; readonly run: (script: string) => string }): string[] {
  const loop = ['for realm in $(kcadm.sh get realms --fields realm --format csv --noquotes); do',
    '  kcadm.sh create "realms/$realm/clear-realm-cache" -s realm="$realm"',
    '  kcadm.sh create "realms/$realm/clear-user-cache" -s realm="$realm"',
    '  kcadm.sh create "realms/$realm/clear-keys-cache" -s realm="$realm"',
    'done'];
  return ['## Clear Keycloak caches', '',
    'After restoring the database, or after bringing a site back online, realms, users and keys cached by each node may be stale.',
    via ? via.where : '`/admin/` answers only from the networks allowed to reach it.', '',
    '```sh',
    ...(via ? [via.login, via.run(loop.join('\n'))] : [`kcadm.sh config credentials --server ${url} --realm master --user <administrator>`, ...loop]),
    '```', ''];
}

/** Per pair of sites: take the other site offline, bring it back, push state (Infinispan CLI). */
export function crossSiteCommands(topology: Topology): string[] {
  const sites = Object.values(topology.sites);
  const { afterFailures, minWaitMs } = topology.caches.takeOffline;
  const out: string[] = [
    `**Automatic fencing.** Every cross-site backup carries \`<take-offline after-failures="${afterFailures}" min-wait="${minWaitMs}">\`: ` +
      `once ${minWaitMs / 1000} s have passed since the first of a run of failed backups to a site and ${afterFailures} of them failed, ` +
      'the Infinispan that stays up stops backing up to it by itself (see the failure table for the resulting times); no one needs to take it offline. ' +
      'Taking it back is yours: SYNC backups stay offline until you bring the site online and push state (below); ' +
      'ASYNC backups with automatic state transfer come back and receive the state by themselves once the site is reachable again. ' +
      'Check with `site status --all-caches`.', ''];
  for (const site of sites) {
    const others = sites.filter((s) => s.name !== site.name);
    for (const other of others) {
      out.push(`### From ${site.name}: take ${other.name} offline, then bring it back`, '', '```sh',
        ...CROSS_SITE_CACHES.map((cache) => `site take-offline --cache=${cache} --site=${other.name}`),
        `# ... once ${other.name} is healthy again and in the cross-site view (\`site status\`, or sites_view of GET /rest/v2/container):`,
        '# bringing a site online before the bridge sees it makes the next write fail and take it offline again',
        ...CROSS_SITE_CACHES.map((cache) => `site bring-online --cache=${cache} --site=${other.name}`),
        ...CROSS_SITE_CACHES.map((cache) => `site push-site-state --cache=${cache} --site=${other.name}`),
        '```', '', `Then clear Keycloak caches in ${other.name} (above).`, '');
    }
  }
  return out;
}

/**
 * The operator's part of Hot Rod TLS on AWS: a private CA, and per site a key and certificate
 * for the site's Infinispan name, stored in the secret the site's tasks read.
 */
function infinispanTlsSection(topology: Topology, names: DeploymentNames): string[] {
  if ((names.substrate ?? 'aws') !== 'aws') return [];
  const out = ['## Infinispan TLS (before the first deploy, and before the certificates expire)', '',
    "Each site's Infinispan serves Hot Rod over TLS with a certificate you issue; Keycloak trusts the CA. The same certificate authenticates the site on the " +
      "JGroups transport and the cross-site bridge (mutual TLS): every site trusts the one CA through a truststore. Create a CA and the truststore once " +
      '(keep `ca.key` offline; `keytool` comes with any JDK), then per site:', '',
    '```sh',
    `openssl req -x509 -newkey rsa:3072 -nodes -days 1825 -subj "/CN=${names.deployment} Infinispan CA" -keyout ca.key -out ca.pem`];
  for (const site of Object.values(topology.sites)) {
    const host = infinispanHost(siteResourceName(names, site.name));
    const prefix = siteResourceName(names, site.name);
    out.push(
      `# site ${site.name}`,
      `openssl req -newkey rsa:3072 -nodes -subj "/CN=${host}" -addext "subjectAltName=DNS:${host}" -keyout ${site.name}.key -out ${site.name}.csr`,
      `openssl x509 -req -in ${site.name}.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 -copy_extensions copy -out ${site.name}.pem`,
      `PASSWORD="$(openssl rand -hex 24)"`,
      `openssl pkcs12 -export -inkey ${site.name}.key -in ${site.name}.pem -name hotrod -passout env:PASSWORD -out ${site.name}.p12`,
      `keytool -importcert -noprompt -alias infinispan-ca -file ca.pem -storetype PKCS12 -keystore ${site.name}-truststore.p12 -storepass:env PASSWORD`,
      `aws secretsmanager create-secret --region ${site.region} --name ${prefix}/infinispan-tls --secret-string "$(jq -n --arg keystore "$(base64 -w0 ${site.name}.p12)" ` +
        `--arg truststore "$(base64 -w0 ${site.name}-truststore.p12)" --arg password "$PASSWORD" --rawfile ca ca.pem '{keystore: $keystore, truststore: $truststore, password: $password, ca: $ca}')"`,
    );
  }
  out.push('```', '',
    'Pass each ARN as `sites.<site>.infinispanTlsSecretArn`. To renew, `put-secret-value` with the new keystore and roll the site\'s Infinispan service, then its Keycloak service.', '');
  return out;
}

function crossSiteSections(topology: Topology, names: DeploymentNames): string[] {
  const sites = Object.values(topology.sites);
  const aws = (names.substrate ?? 'aws') === 'aws';
  const out: string[] = ['## Cross-site operations (Infinispan)', '',
    "Run the Infinispan CLI against the site that stays up (`bin/cli.sh -c https://<its Infinispan>:11222`), for each cache Keycloak keeps there.", '',
    ...(aws ? [
      'On AWS the Infinispan tasks answer only inside the sites\' networks: run the CLI from a host in the site\'s VPC, or call the same operations over REST, e.g. from site A about site B:', '',
      '```sh',
      `# user and password: the ${names.deployment}-<site>/infinispan-operator secret (role admin; Keycloak's infinispan-credentials user, role deployer, may not); CA: ca.pem (Infinispan TLS)`,
      ...CROSS_SITE_CACHES.map((cache) => `curl --cacert ca.pem -u "$USER:$PASS" -X POST "https://${infinispanHost(siteResourceName(names, sites[0]?.name ?? 'a'))}:11222/rest/v2/caches/${cache}/x-site/backups/${sites[1]?.name ?? 'b'}?action=take-offline"`),
      '# actions: take-offline, bring-online, start-push-state',
      '```', ''] : []),
    ...crossSiteCommands(topology)];
  const regions = new Set(sites.map((site) => site.region));
  if (topology.mode === 'active-passive' && regions.size > 1) {
    const primary = siteResourceName(names, topology.primarySite);
    const global = globalClusterName(names.deployment);
    out.push('## Database: switch over or fail over the global database', '',
      'A switchover (planned, both regions up) loses nothing. A failover (primary region down) may lose the writes not yet replicated.', '',
      '```sh',
      ...sites.filter((s) => s.name !== topology.primarySite).flatMap((s) => [
        `aws rds switchover-global-cluster --global-cluster-identifier ${global} --target-db-cluster-identifier "$(aws rds describe-db-clusters --db-cluster-identifier ${siteResourceName(names, s.name)} --region ${s.region} --query 'DBClusters[0].DBClusterArn' --output text)" --region ${s.region}`,
        `aws rds failover-global-cluster --global-cluster-identifier ${global} --allow-data-loss --target-db-cluster-identifier "$(aws rds describe-db-clusters --db-cluster-identifier ${siteResourceName(names, s.name)} --region ${s.region} --query 'DBClusters[0].DBClusterArn' --output text)" --region ${s.region}`,
      ]),
      '```', '',
      'Keycloak of every site writes through the global writer endpoint, which follows the new primary. Connections opened before the switch may stay on the old, now read-only writer: roll Keycloak in every site that is up:', '',
      '```sh',
      ...sites.map((s) => `aws ecs update-service --cluster ${siteResourceName(names, s.name)} --service keycloak --force-new-deployment --region ${s.region}`),
      '```', '',
      `Fail back to ${primary} with a switchover once its region is healthy. After an unplanned failover, check \`aws rds describe-global-clusters --global-cluster-identifier ${global}\` once the old region is back: if its cluster is not a member again, \`cdktf deploy\` that site's stack before switching back.`, '');
  }
  return out;
}
