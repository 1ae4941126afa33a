import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KEYCLOAK_STOP_TIMEOUT_SECONDS } from '../aws/keycloak-service';
import { AWS_JDBC_WRAPPER_VERSION } from '../model/image';
import type { KeycloakOnAws } from '../patterns/keycloak-on-aws';
import { synthesizeStackOf } from '../private/cdktf';
import {
  fetchArtifact, pickVersion, readSynthesizedLoadBalancer, rehearseSingleSite, rehearseSites, renderRehearsalReport, requireJava, servedVersions, SiteNetwork,
  ThrowAwayCa, unpackOnce, versionOf,
} from '../private/rehearsal-parts';
import type { MavenOptions } from './artifacts';
import type { Prepared, ShapeOutcome } from './context';
import { DrillResult } from './drills';
import { RehearsalPlan, SitePlan, Substitution } from './plan';
import { ProcessRegistry, Progress, RehearsalError } from './runtime';

export { RehearsalError } from './runtime';
export type { DrillResult } from './drills';
export type { Substitution } from './plan';

export interface RehearseOptions {
  /** Scratch folder (server homes, logs, TLS material). @default .cache/rehearsal/<deployment> */
  readonly workDir?: string;
  /** Where REHEARSAL.md goes, e.g. beside the review bundle. @default the work folder */
  readonly reportDir?: string;
  /** Maven's local repository (the download cache). @default ~/.m2/repository */
  readonly mavenRepository?: string;
  /** A JDK 17+ to run the servers with. @default the `java` on the PATH */
  readonly javaHome?: string;
  /** Third octet of the loopback addresses (127.0.X.*) the site uses. @default 77 */
  readonly addressBlock?: number;
  /** Progress lines (component starting, drill, elapsed time). @default stderr */
  readonly log?: (line: string) => void;
  /** Heap of each Keycloak node. @default '-Xms256m -Xmx768m' */
  readonly keycloakHeap?: string;
}

export interface RehearsalOutcome {
  readonly drills: readonly DrillResult[];
  readonly substitutions: readonly Substitution[];
  readonly reportFile: string;
  readonly passed: number;
  readonly failed: number;
}

/** The Keycloak versions Maven Central serves for `keycloak-quarkus-dist`, and the one to run. */
function keycloakDistribution(maven: MavenOptions, wanted: string): { zip: string; version: string; exact: boolean } {
  const coordinates = { group: 'org.keycloak', artifact: 'keycloak-quarkus-dist' };
  const [major, minor] = wanted.split('.');
  const picked = pickVersion(servedVersions(maven, coordinates, `[${major}.${minor}.0,${major}.${Number(minor) + 1}.0)`), wanted);
  if (!picked) {
    throw new RehearsalError('keycloak-unavailable', `Maven Central serves no keycloak-quarkus-dist ${major}.${minor}.x`, 'choose a Keycloak version that is published, or pre-fill the Maven cache');
  }
  return { ...picked, zip: fetchArtifact(maven, { ...coordinates, version: picked.version, type: 'zip' }) };
}

/** Reads what the rehearsal needs from the construct: its configuration, its synthesized load balancer, its failure table. */
export function planRehearsal(keycloak: KeycloakOnAws): RehearsalPlan {
  const topology = keycloak.topology;
  const sites: SitePlan[] = Object.entries(keycloak.sites).map(([name, site]) => {
    const spec = topology.sites[name];
    const stack = JSON.parse(synthesizeStackOf(site.loadBalancer)) as Record<string, unknown>;
    return {
      name, region: spec.region, nodes: spec.nodes,
      zones: spec.zoneNames ?? Array.from({ length: spec.zoneCount }, (_, i) => `${spec.region}${String.fromCharCode(97 + i)}`),
      config: site.keycloak.config, databaseRoleSql: site.keycloak.databaseRoleSql, loadBalancer: readSynthesizedLoadBalancer(stack, name), stopTimeoutSeconds: KEYCLOAK_STOP_TIMEOUT_SECONDS,
      ...(site.infinispan ? { infinispanHost: site.infinispan.host, infinispanXml: site.infinispan.xml } : {}),
    };
  });
  return {
    deployment: keycloak.deploymentName, version: topology.keycloak.version, hostname: topology.keycloak.hostname,
    image: { bundlesAwsJdbcWrapper: topology.keycloak.image.bundlesAwsJdbcWrapper },
    sites, failureModes: keycloak.failureModes(),
  };
}


/**
 * Runs the deployment's own configuration with the real server software on this machine and
 * drills its failures: Keycloak from Maven Central at the topology's version, PostgreSQL from the
 * machine's packages, HAProxy configured from the synthesized load balancer, and with several
 * sites an Infinispan server per site (the rendered infinispan.xml) in its own network namespace.
 * Writes REHEARSAL.md and stops every process it started, whatever happens.
 *
 * Prerequisites: Java 17+, Maven (network to Maven Central, or a filled cache), PostgreSQL server
 * binaries, HAProxy, openssl, unzip; root to bind the load balancer on 443 (otherwise 8443) and,
 * with several sites, to make network namespaces.
 */
export async function rehearse(keycloak: KeycloakOnAws, options: RehearseOptions = {}): Promise<RehearsalOutcome> {
  const plan = planRehearsal(keycloak);
  const progress = new Progress(options.log);
  const workDir = resolve(options.workDir ?? join('.cache', 'rehearsal', plan.deployment));
  // Every run starts from nothing but the download cache: no database, node or log of an earlier run.
  if (existsSync(workDir)) {
    for (const entry of readdirSync(workDir, { withFileTypes: true })) {
      if (entry.name !== 'maven') rmSync(join(workDir, entry.name), { recursive: true, force: true });
    }
  }
  mkdirSync(workDir, { recursive: true });
  const registry = new ProcessRegistry();
  const substitutions: Substitution[] = [];
  const drills: DrillResult[] = [];
  let network: SiteNetwork | undefined;
  try {
    const java = requireJava(options.javaHome);
    const maven: MavenOptions = { workDir: join(workDir, 'maven'), progress, ...(options.mavenRepository ? { localRepository: options.mavenRepository } : {}) };
    const wanted = plan.version.text;
    const dist = keycloakDistribution(maven, wanted);
    progress.log(`Keycloak ${dist.version} (${dist.exact ? 'the topology\'s version' : `nearest served patch of ${wanted}, which Maven Central does not serve`}); Java ${java.major}`);
    const cache = resolve(workDir, '..');
    const distHome = join(unpackOnce(dist.zip, join(cache, `keycloak-${dist.version}`), progress), `keycloak-${dist.version}`);
    const providers: string[] = [];
    if (plan.image.bundlesAwsJdbcWrapper) {
      providers.push(fetchArtifact(maven, { group: 'software.amazon.jdbc', artifact: 'aws-advanced-jdbc-wrapper', version: AWS_JDBC_WRAPPER_VERSION, type: 'jar' }));
    }
    mkdirSync(join(workDir, 'tls'), { recursive: true });
    const heap = options.keycloakHeap ?? '-Xms256m -Xmx768m';
    substitutions.push(
      { what: 'TLS certificates', deployed: 'ACM (load balancer), RDS CA (database), the operator\'s Infinispan TLS secret', rehearsed: 'a throw-away CA made for this run', why: 'no AWS account here' },
      { what: 'container image', deployed: keycloak.topology.keycloak.image.uri(plan.version), rehearsed: `keycloak-quarkus-dist ${dist.version}${providers.length ? ` + aws-advanced-jdbc-wrapper ${AWS_JDBC_WRAPPER_VERSION} in providers/` : ''}`, why: 'the same Keycloak build, unpacked instead of run from the image' },
      { what: 'Keycloak heap', deployed: "the task's memory (Keycloak's default MaxRAMPercentage)", rehearsed: heap, why: 'the nodes share a 2-core, 24 GiB machine' },
    );
    const ctx: Prepared = {
      plan, progress, registry, workDir, java, maven, distHome, providers, ca: new ThrowAwayCa(join(workDir, 'tls')), substitutions, heap,
      publicHost: new URL(plan.hostname.includes('://') ? plan.hostname : `https://${plan.hostname}`).hostname,
    };
    let shape: ShapeOutcome;
    if (plan.sites.length === 1) {
      shape = await rehearseSingleSite(ctx, drills, options.addressBlock ?? 77);
    } else {
      network = new SiteNetwork(plan.sites.map((s) => s.name), 1);
      shape = await rehearseSites(ctx, drills, network, cache);
    }
    const report = renderRehearsalReport({
      deployment: plan.deployment,
      components: [
        `Keycloak ${dist.version} (\`org.keycloak:keycloak-quarkus-dist\` from Maven Central; the topology names ${wanted})`,
        ...(providers.length ? [`AWS Advanced JDBC Wrapper ${AWS_JDBC_WRAPPER_VERSION} (Maven Central), as the image bundles it`] : []),
        `Java: ${versionOf(java.java, ['-version'])}`,
        ...shape.components,
      ],
      scale: shape.scale, drills, substitutions, totalSeconds: progress.elapsed(),
    });
    const reportDir = options.reportDir ?? workDir;
    mkdirSync(reportDir, { recursive: true });
    const reportFile = join(reportDir, 'REHEARSAL.md');
    writeFileSync(reportFile, report);
    const passed = drills.filter((d) => d.passed).length;
    return { drills, substitutions, reportFile, passed, failed: drills.length - passed };
  } finally {
    progress.log('stopping every process the rehearsal started');
    await registry.stopAll();
    network?.destroy();
    rmSync(join(workDir, 'nodes'), { recursive: true, force: true });
  }
}
