import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { defineTopology, TopologyInput } from '../../lib/model/define';
import { KeycloakImage } from '../../lib/model/image';
import { validate } from '../../lib/model/validate';
import { reviewBundleFiles, writeReviewBundle } from '../../lib/review/bundle';
import { renderContainerEnvironment } from '../../lib/review/keycloak-env';
import { sameRegion, twoRegions } from '../topologies';

const image = KeycloakImage.fromRegistry('registry.example.com/keycloak:26.7.0', { bundlesAwsJdbcWrapper: true });
const single: TopologyInput = {
  hostname: 'auth.example.com', keycloak: { image }, sites: { 'eu-west': { region: 'eu-west-1', cidr: '10.20.0.0/16', zones: 3, nodes: 6 } },
};
const files = (input: TopologyInput) => {
  const topology = defineTopology(input);
  return reviewBundleFiles(topology, { deployment: 'iam', warnings: validate(topology) });
};

describe('review bundle', () => {
  test('the same topology gives the same bytes', () => {
    expect(files(single)).toEqual(files(single));
  });

  test('a container environment shows literals as they are, references as the resource they come from, secrets by source only', () => {
    const env = renderContainerEnvironment({
      name: 'keycloak',
      image: 'registry.example.com/keycloak:26.7.0',
      command: ['start'],
      environment: [
        { name: 'KC_DB_URL', value: 'jdbc:postgresql://${aws_rds_cluster.db.endpoint}:5432/keycloak' },
        { name: 'INFINISPAN_XML', value: '<keystore password="$${env.PASSWORD}"/>' },
      ],
      secrets: [{ name: 'KC_DB_PASSWORD', valueFrom: '${aws_rds_cluster.db.master_user_secret[0].secret_arn}:password::' }],
    }, 'site eu-west');
    expect(env).toContain('\nKC_DB_URL=jdbc:postgresql://<aws_rds_cluster.db.endpoint>:5432/keycloak\n');
    expect(env).toContain('\nINFINISPAN_XML=<keystore password="${env.PASSWORD}"/>\n');
    expect(env).toContain('\nKC_DB_PASSWORD=<secret aws_rds_cluster.db.master_user_secret[0].secret_arn:password::>\n');
  });

  test('TOPOLOGY.md lists sites with nodes per zone, the diagram, recovery objectives, warnings and client guidance', () => {
    const doc = files(single)['TOPOLOGY.md'];
    expect(doc).toContain('| eu-west | eu-west-1 | 10.20.0.0/16 | 3 | 6 (2 / 2 / 2) | 2 / 4096 MiB |');
    expect(doc).toContain('```mermaid\nflowchart TB');
    expect(doc).toContain('RPO = 0 for data');
    expect(doc).toContain('[cache-owners-zone-loss] keycloak.cacheOwners'); // 6 nodes over 3 zones with 2 owners
    expect(doc).toContain('Issuer of realm `<realm>`: `https://auth.example.com/realms/<realm>`');
  });

  test('RUNBOOK.md names the real cluster, service, instances and region', () => {
    const runbook = files(single)['RUNBOOK.md'];
    expect(runbook).toContain('aws ecs update-service --cluster iam-eu-west --service keycloak --force-new-deployment --region eu-west-1');
    expect(runbook).toContain('aws rds failover-db-cluster --db-cluster-identifier iam-eu-west --target-db-instance-identifier iam-eu-west-2 --region eu-west-1');
    expect(runbook).toContain('kcadm.sh create "realms/$realm/clear-realm-cache"');
    expect(runbook).not.toContain('site take-offline');
  });

  test('GIVEN two sites in a region THEN the diagram links their Infinispan sites SYNC and the runbook takes each site offline', () => {
    const bundle = files(sameRegion);
    expect(bundle['topology.dot']).toContain('eu_a_ispn -> eu_b_ispn [label="RELAY2 SYNC", style=dashed, constraint=false];');
    expect(bundle['RUNBOOK.md']).toContain('site take-offline --cache=actionTokens --site=eu-b');
    expect(bundle['RUNBOOK.md']).toContain('site take-offline --cache=actionTokens --site=eu-a');
    expect(bundle['TOPOLOGY.md']).toContain('Cross-site caches replicate synchronously');
  });

  test('GIVEN three sites THEN the diagram keeps them in order and draws one database and one cache link per site', () => {
    const dot = files({ ...sameRegion, sites: { ...sameRegion.sites, 'eu-c': { region: 'eu-west-1', cidr: '10.30.0.0/16' } } })['topology.dot'];
    // One edge per site from its Keycloak cluster (not one per zone), which made three sites unreadable.
    expect(dot.match(/label="JDBC"/g)).toHaveLength(3);
    expect(dot.match(/label="Hot Rod"/g)).toHaveLength(3);
    expect(dot).toContain('ltail=cluster_eu_b_keycloak');
    // Sites left to right as given; links between sites do not move a site in the layout.
    expect(dot).toContain('ordering=out');
    expect(dot.indexOf('cluster_eu_a_site')).toBeLessThan(dot.indexOf('cluster_eu_b_site'));
    expect(dot.indexOf('cluster_eu_b_site')).toBeLessThan(dot.indexOf('cluster_eu_c_site'));
    expect(dot).toContain('eu_a_ispn -> eu_c_ispn [label="RELAY2 SYNC", style=dashed, constraint=false];');
  });

  test('GIVEN three regions active/passive THEN the diagram names the failover order, not two SECONDARY sites', () => {
    const dot = files({ ...twoRegions, sites: { ...twoRegions.sites, ap: { region: 'ap-southeast-2', cidr: '10.60.0.0/16' } } })['topology.dot'];
    const labels = [...dot.matchAll(/dns -> (\w+)_lb \[label="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(labels).toEqual(['eu PRIMARY', 'us standby 1', 'ap standby 2']);
    expect(files(twoRegions)['topology.dot']).toMatch(/dns -> \w+_lb \[label="SECONDARY"/);
  });

  test('GIVEN two regions THEN RPO > 0 is stated, links are ASYNC and the global database switchover is in the runbook', () => {
    const bundle = files(twoRegions);
    expect(bundle['TOPOLOGY.md']).toContain('RPO > 0');
    expect(bundle['topology.dot']).toContain('label="RELAY2 ASYNC"');
    expect(bundle['RUNBOOK.md']).toContain('aws rds switchover-global-cluster --global-cluster-identifier iam');
    expect(bundle['RUNBOOK.md']).toContain('--allow-data-loss');
    expect(bundle['TOPOLOGY.md']).toContain('a logout or revocation reaches the other site asynchronously');
  });

  test('asked for, the written bundle carries an SVG diagram rendered in-process, byte-identical across runs', async () => {
    const dir = mkdtempSync(join(__dirname, '..', '..', '.cache', 'review-'));
    try {
      const topology = defineTopology(single);
      const first = await writeReviewBundle(join(dir, 'a'), topology, { deployment: 'iam' }, { svg: true });
      await writeReviewBundle(join(dir, 'b'), topology, { deployment: 'iam' }, { svg: true });
      expect(first.map((f) => f.slice(dir.length + 3))).toEqual(['RUNBOOK.md', 'TOPOLOGY.md', 'topology.dot', 'topology.svg']);
      const svg = readFileSync(join(dir, 'a', 'topology.svg'), 'utf8');
      expect(svg).toMatch(/<svg[\s\S]*Keycloak × 2[\s\S]*<\/svg>/);
      expect(readFileSync(join(dir, 'b', 'topology.svg'), 'utf8')).toBe(svg);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
