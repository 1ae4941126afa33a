import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { hasCommand, Progress, RehearsalError, run } from './runtime';

/**
 * Server software from Maven Central, through Maven itself: its local repository (`~/.m2` unless
 * `localRepository` says otherwise) is the cache, so a second run needs no network.
 */
export interface MavenOptions {
  /** Maven's local repository. @default ~/.m2/repository */
  readonly localRepository?: string;
  /** Scratch folder for probe projects and unpacked distributions. */
  readonly workDir: string;
  readonly progress: Progress;
}

export interface Coordinates { readonly group: string; readonly artifact: string }

const localRepo = (options: MavenOptions) => options.localRepository ?? join(homedir(), '.m2', 'repository');
const artifactDir = (options: MavenOptions, c: Coordinates) => join(localRepo(options), ...c.group.split('.'), c.artifact);

function requireMaven(): void {
  if (!hasCommand('mvn')) {
    throw new RehearsalError('maven-missing', "the rehearsal fetches Keycloak and Infinispan from Maven Central with Maven, and 'mvn' is not on the PATH",
      'install Maven 3.8+ (Debian: apt-get install maven)');
  }
}

function mvn(options: MavenOptions, args: readonly string[], what: string, offline: boolean, cwd?: string): void {
  requireMaven();
  run('mvn', ['-B', '-q', ...(offline ? ['-o'] : []), ...(options.localRepository ? [`-Dmaven.repo.local=${options.localRepository}`] : []), ...args], {
    what, cwd,
    fix: offline ? 'run once with network access to Maven Central so the cache fills'
      : 'check the network path to Maven Central (or a mirror in ~/.m2/settings.xml), or pre-fill the Maven cache',
  });
}

/** Versions of an artifact Maven Central lists (its maven-metadata), fetched once and cached. */
export function servedVersions(options: MavenOptions, c: Coordinates, range: string): string[] {
  const metadata = join(artifactDir(options, c), 'maven-metadata-central.xml');
  if (!existsSync(metadata)) {
    // A version range makes Maven read the artifact's metadata; the probe itself may fail to
    // resolve a jar (distribution-only artifacts), which is fine: the metadata is what we want.
    const probe = join(options.workDir, 'maven-probe', c.artifact);
    mkdirSync(probe, { recursive: true });
    writeFileSync(join(probe, 'pom.xml'), probePom([{ ...c, version: range, type: 'pom' }]));
    try {
      mvn(options, ['dependency:resolve'], `listing the versions of ${c.group}:${c.artifact}`, false, probe);
    } catch (error) {
      if (!existsSync(metadata)) throw error;
    }
  }
  if (!existsSync(metadata)) {
    throw new RehearsalError('artifact-unlisted', `Maven Central lists no version of ${c.group}:${c.artifact}`, 'check the coordinates');
  }
  return [...readFileSync(metadata, 'utf8').matchAll(/<version>([^<]+)<\/version>/g)].map((m) => m[1]);
}

/**
 * The version to run: `wanted` when served, otherwise the nearest served patch of the same
 * `major.minor` (ties go to the newer). A `.Final` suffix is ignored in the comparison (Infinispan 15
 * publishes `15.0.19.Final`, 16 publishes `16.0.7`).
 */
export function pickVersion(served: readonly string[], wanted: string): { version: string; exact: boolean } | undefined {
  const parse = (v: string) => /^(\d+)\.(\d+)\.(\d+)(?:\.Final)?$/.exec(v);
  const w = parse(wanted);
  if (!w) return undefined;
  const candidates = served.map((v) => ({ v, m: parse(v) })).filter((x): x is { v: string; m: RegExpExecArray } => x.m !== null && x.m[1] === w[1] && x.m[2] === w[2]);
  const exact = candidates.find((x) => x.m[3] === w[3]);
  if (exact) return { version: exact.v, exact: true };
  const patch = Number(w[3]);
  const nearest = [...candidates].sort((a, b) => Math.abs(Number(a.m[3]) - patch) - Math.abs(Number(b.m[3]) - patch) || Number(b.m[3]) - Number(a.m[3]))[0];
  return nearest ? { version: nearest.v, exact: false } : undefined;
}

/** One artifact file from Maven Central (cached in the local repository). */
export function fetchArtifact(options: MavenOptions, c: Coordinates & { version: string; type: string; classifier?: string }): string {
  const file = join(artifactDir(options, c), c.version, `${c.artifact}-${c.version}${c.classifier ? `-${c.classifier}` : ''}.${c.type}`);
  if (!existsSync(file)) {
    const coordinates = `${c.group}:${c.artifact}:${c.version}:${c.type}${c.classifier ? `:${c.classifier}` : ''}`;
    options.progress.log(`downloading ${coordinates} from Maven Central`);
    mvn(options, ['dependency:get', `-Dartifact=${coordinates}`, '-Dtransitive=false'],
      `downloading ${c.group}:${c.artifact}:${c.version}`, false);
  }
  if (!existsSync(file)) throw new RehearsalError('artifact-missing', `Maven did not leave ${file}`, 'check ~/.m2/settings.xml for a different local repository');
  return file;
}

/**
 * An artifact and all its runtime dependencies copied into `dir` (a server's lib folder). Maven
 * picks transitive versions nearest-wins; with `expectedJars` (the file names a server's manifest
 * Class-Path lists), an artifact resolved at another version is pinned to the listed one and the
 * copy made again, so the jars are the ones the server was built and tested with.
 */
export function fetchWithDependencies(options: MavenOptions, c: Coordinates & { version: string }, dir: string, expectedJars: readonly string[] = []): string {
  if (existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.jar'))) return dir;
  options.progress.log(`resolving ${c.group}:${c.artifact}:${c.version} and its dependencies`);
  const probe = join(options.workDir, 'maven-probe', `${c.artifact}-${c.version}`);
  mkdirSync(probe, { recursive: true });
  const root = { ...c, type: 'jar' };
  writeFileSync(join(probe, 'pom.xml'), probePom([root]));
  const list = join(probe, 'dependencies.txt');
  mvn(options, ['dependency:list', `-DoutputFile=${list}`, '-DincludeScope=runtime'], `resolving ${c.artifact} ${c.version}`, false, probe);
  const pins = pinsFor(readFileSync(list, 'utf8'), expectedJars);
  if (pins.length > 0) writeFileSync(join(probe, 'pom.xml'), probePom([root], pins));
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mvn(options, ['dependency:copy-dependencies', `-DoutputDirectory=${partial}`, '-DincludeScope=runtime'], `resolving ${c.artifact} ${c.version}`, false, probe);
  renameSync(partial, dir);
  return dir;
}

/**
 * From `dependency:list` output (`group:artifact:type[:classifier]:version:scope`), the artifacts
 * whose jar name differs from one `expectedJars` lists for the same artifact: pinned to its version.
 */
export function pinsFor(listing: string, expectedJars: readonly string[]): (Coordinates & { version: string; type: string })[] {
  const pins = new Map<string, Coordinates & { version: string; type: string }>();
  for (const line of listing.split('\n')) {
    const parts = line.trim().split(':');
    if (parts.length < 5) continue;
    const [group, artifact] = parts;
    const version = parts[parts.length - 2];
    if (expectedJars.some((jar) => jar.startsWith(`${artifact}-${version}`))) continue;
    const expected = expectedJars.map((jar) => new RegExp(`^${artifact.replace(/[.]/g, '\\.')}-(\\d[^-]*(?:-[A-Za-z]+)?)(?:-linux-[a-z0-9_]+)?\\.jar$`).exec(jar)?.[1]).find((v) => v !== undefined);
    if (expected && expected !== version) pins.set(`${group}:${artifact}`, { group, artifact, version: expected, type: 'jar' });
  }
  return [...pins.values()];
}

function probePom(dependencies: readonly (Coordinates & { version: string; type: string })[], managed: readonly (Coordinates & { version: string; type: string })[] = []): string {
  const dependency = (d: Coordinates & { version: string; type: string }) =>
    `<dependency><groupId>${d.group}</groupId><artifactId>${d.artifact}</artifactId><version>${d.version}</version><type>${d.type}</type></dependency>`;
  const management = managed.length > 0 ? `<dependencyManagement><dependencies>${managed.map(dependency).join('')}</dependencies></dependencyManagement>` : '';
  return `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>rehearsal</groupId>` +
    `<artifactId>probe</artifactId><version>1</version>${management}<dependencies>${dependencies.map(dependency).join('')}</dependencies></project>\n`;
}

/** The Java the servers run on: 17 or newer (Keycloak 26 supports 17, 21 and 25). */
export function requireJava(javaHome?: string): { java: string; major: number } {
  const java = javaHome ? join(javaHome, 'bin', 'java') : 'java';
  const result = spawnSync(java, ['-version'], { encoding: 'utf8' });
  const major = Number(/version "(\d+)/.exec(result.stderr ?? '')?.[1] ?? NaN);
  if (result.error || !Number.isFinite(major)) {
    throw new RehearsalError('java-missing', `Keycloak and Infinispan need Java 17 or newer, and '${java}' cannot be run`,
      'install OpenJDK 17+ (Debian: apt-get install openjdk-17-jre-headless) or set JAVA_HOME');
  }
  if (major < 17) throw new RehearsalError('java-too-old', `'${java}' is Java ${major}; Keycloak 26 needs 17, 21 or 25`, 'install OpenJDK 17+ or set JAVA_HOME to one');
  return { java, major };
}

/** Unpacks a zip once into `dir` (with the system's unzip). */
export function unpackOnce(zip: string, dir: string, progress: Progress): string {
  if (existsSync(join(dir, '.unpacked'))) return dir;
  if (!hasCommand('unzip')) throw new RehearsalError('unzip-missing', "unpacking the Keycloak distribution needs 'unzip'", 'install it (Debian: apt-get install unzip)');
  progress.log(`unpacking ${zip}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  run('unzip', ['-q', zip, '-d', dir], { what: 'unpacking', fix: 'delete the cache folder and run again' });
  writeFileSync(join(dir, '.unpacked'), zip);
  return dir;
}
