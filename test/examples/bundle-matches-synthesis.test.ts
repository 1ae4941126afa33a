/**
 * The review bundle of every example shows what the stacks deploy: each rendered file is compared
 * with the synthesized cdk.tf.json (option names and literal values), and any difference fails.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { App, Testing } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { parseAllDocuments } from 'yaml';
import { MultiAzStack } from '../../examples/aws-multi-az/stack';
import { multiRegionStacks } from '../../examples/aws-multi-region/stack';
import { multiSiteStacks } from '../../examples/aws-multi-site/stack';
import { kubernetesTwoSitesStacks } from '../../examples/kubernetes-two-sites/stack';
import type { KeycloakOnAws } from '../../lib';
import { addKubernetesObject, type BuiltInKubernetesObject, type CustomObject } from '../../lib/kubernetes';

type Body = Record<string, unknown>;
type Resources = Record<string, Record<string, Body>>;
interface Container {
  name: string;
  environment?: { name: string; value: string }[];
  secrets?: { name: string; valueFrom: string }[];
}

const scratch = join(__dirname, '..', '..', '.cache');

/** Synthesizes the app (cross-stack references need the whole app) and reads every stack's resources. */
function synthesizedResources(app: App): Resources[] {
  app.synth();
  const stacks = join(app.outdir, 'stacks');
  return readdirSync(stacks).map((id) => (JSON.parse(readFileSync(join(stacks, id, 'cdk.tf.json'), 'utf8')) as { resource: Resources }).resource);
}

/** Terraform's reading of a literal: `$${` is `${`, `%%{` is `%{`. */
function unescapeLiteral(text: string): string {
  return text.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/** The convention of the bundle: a reference `${x}` reads `<x>`; everything else is the literal. */
function placeholders(text: string): string {
  return unescapeLiteral(text.replace(/(?<!\$)\$\{([^}]+)\}/g, '<$1>'));
}

function containerOf(resources: Resources[], family: string, name: string): Container {
  const found = resources.flatMap((r) => Object.values(r.aws_ecs_task_definition ?? {}))
    .filter((td) => td.family === family)
    .flatMap((td) => JSON.parse(td.container_definitions as string) as Container[])
    .filter((c) => c.name === name);
  if (found.length !== 1) throw new Error(`expected one container ${name} in task definition ${family}, found ${found.length}`);
  return found[0];
}

/** `NAME=value` lines of a bundle file, comments left out. */
function assignments(text: string): string[] {
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).sort();
}

async function writeBundle(write: (dir: string) => Promise<string[]>): Promise<{ dir: string; files: string[] }> {
  const dir = mkdtempSync(join(scratch, 'bundle-vs-synth-'));
  const files = (await write(dir)).map((f) => f.slice(dir.length + 1));
  return { dir, files };
}

function expectAwsBundleMatches(keycloak: KeycloakOnAws, resources: Resources[], dir: string, files: string[]): void {
  for (const site of Object.keys(keycloak.sites)) {
    const prefix = `${keycloak.deploymentName}-${site}`;
    const container = containerOf(resources, prefix, 'keycloak');
    const expected = [
      ...(container.environment ?? []).map(({ name, value }) => `${name}=${placeholders(value)}`),
      ...(container.secrets ?? []).map(({ name, valueFrom }) => `${name}=<secret ${placeholders(valueFrom).replace(/<([^<>]+)>/g, '$1')}>`),
    ].sort();
    expect({ file: `${site}/keycloak.env`, lines: assignments(readFileSync(join(dir, site, 'keycloak.env'), 'utf8')) })
      .toEqual({ file: `${site}/keycloak.env`, lines: expected });

    // database-role.sql is the script the task's database-role container runs.
    const sql = containerOf(resources, prefix, 'database-role').environment?.find((e) => e.name === 'DATABASE_ROLE_SQL')?.value;
    expect(sql).toContain('CREATE ROLE');
    expect(readFileSync(join(dir, site, 'database-role.sql'), 'utf8')).toBe(unescapeLiteral(sql ?? ''));

    const infinispan = resources.some((r) => Object.values(r.aws_ecs_task_definition ?? {}).some((td) => td.family === `${prefix}-infinispan`));
    expect(files.includes(`${site}/infinispan.xml`)).toBe(infinispan);
    if (infinispan) {
      const xml = containerOf(resources, `${prefix}-infinispan`, 'infinispan').environment?.find((e) => e.name === 'INFINISPAN_XML')?.value;
      expect(xml).toBeDefined();
      expect(readFileSync(join(dir, site, 'infinispan.xml'), 'utf8')).toBe(unescapeLiteral(xml ?? ''));
    }
  }
}

describe('the review bundle of every example matches what is synthesized', () => {
  afterAll(() => {
    for (const entry of existsSync(scratch) ? readdirSync(scratch) : []) {
      if (entry.startsWith('bundle-vs-synth-')) rmSync(join(scratch, entry), { recursive: true, force: true });
    }
  });

  test.each([
    ['aws-multi-az', (app: App) => new MultiAzStack(app, 'keycloak-multi-az').keycloak],
    ['aws-multi-site', (app: App) => multiSiteStacks(app).keycloak],
    ['aws-multi-region', (app: App) => multiRegionStacks(app).keycloak],
  ])('examples/%s: each site\'s keycloak.env is the task\'s environment and secrets, its infinispan.xml the task\'s', async (_, build) => {
    const app = Testing.app();
    const keycloak = build(app);
    const resources = synthesizedResources(app);
    const { dir, files } = await writeBundle((d) => keycloak.writeReviewBundle(d));
    expectAwsBundleMatches(keycloak, resources, dir, files);
  });

  test('examples/aws-multi-region (Keycloak 26.7): the bundle shows the deployed settings: secrets read literally (KCRAW_), one bootstrap administrator, every backup fenced, JGroups over TLS', async () => {
    const app = Testing.app();
    const keycloak = multiRegionStacks(app).keycloak;
    synthesizedResources(app);
    const { dir } = await writeBundle((d) => keycloak.writeReviewBundle(d));
    const primary = keycloak.topology.primarySite;
    for (const site of Object.keys(keycloak.sites)) {
      const env = assignments(readFileSync(join(dir, site, 'keycloak.env'), 'utf8'));
      // Keycloak options from secrets (the task's other secret variables, such as the CA, are not options).
      const optionsFromSecrets = env.filter((line) => /^KC[A-Z]*_/.test(line) && line.includes('=<secret '));
      expect(optionsFromSecrets.length).toBeGreaterThan(0);
      for (const line of optionsFromSecrets) expect(line).toMatch(/^KCRAW_/);
      expect(env.some((line) => /^KC(RAW)?_BOOTSTRAP_ADMIN_/.test(line))).toBe(site === primary);
      const xml = readFileSync(join(dir, site, 'infinispan.xml'), 'utf8');
      const backups = xml.match(/<backup [^>]*>[\s\S]*?<\/backup>/g) ?? [];
      expect(backups.length).toBeGreaterThan(0);
      for (const backup of backups) expect(backup).toMatch(/<take-offline after-failures="\d+" min-wait="\d+"\/>/);
      expect(xml).toMatch(/<TCP[^>]*tls\.enabled="true"/);
    }
  });

  test('examples/kubernetes-two-sites: objects.yaml translates to exactly the synthesized resources, infinispan.xml is the ConfigMap\'s', async () => {
    const app = Testing.app();
    const stack = kubernetesTwoSitesStacks(app);
    // Each site's objects are in the site's stack; their names carry the site.
    const resources: Resources = {};
    for (const stackResources of synthesizedResources(app)) {
      for (const [type, byName] of Object.entries(stackResources ?? {})) resources[type] = { ...resources[type], ...byName };
    }
    const { dir } = await writeBundle((d) => stack.keycloak.writeReviewBundle(d));
    const kubernetesResources = Object.entries(resources).filter(([type]) => type.startsWith('kubernetes_'));
    const withoutMeta = (body: Body): Body => {
      // The provider alias, the construct path, what the pattern adds for DNS and Terraform's own
      // arguments (deploy order, rollout waits and their timeouts) are not part of the object.
      return Object.fromEntries(Object.entries(body).filter(([key]) =>
        !['provider', '//', 'wait_for_load_balancer', 'depends_on', 'wait_for_rollout', 'timeouts'].includes(key)));
    };
    for (const site of Object.keys(stack.keycloak.topology.sites)) {
      const objects = parseAllDocuments(readFileSync(join(dir, site, 'objects.yaml'), 'utf8')).map((d) => d.toJS() as BuiltInKubernetesObject | CustomObject);
      // The objects of the bundle, translated on their own, give the bodies the stack synthesized.
      const translated = JSON.parse(Testing.synthScope((scope) => {
        new KubernetesProvider(scope, 'kubernetes', {});
        objects.forEach((object, i) => addKubernetesObject(scope, `o${i}`, object));
      })) as { resource: Resources };
      const fromBundle = Object.entries(translated.resource).flatMap(([type, byName]) => Object.values(byName).map((b) => ({ type, body: withoutMeta(b) })));
      const synthesized = kubernetesResources.flatMap(([type, byName]) =>
        Object.entries(byName).filter(([address]) => address.startsWith(`Keycloak-${site}_`)).map(([, b]) => ({ type, body: withoutMeta(b) })));
      const key = (r: { type: string; body: Body }) => JSON.stringify([r.type, r.body]);
      expect(fromBundle.map(key).sort()).toEqual(synthesized.map(key).sort());

      const configMaps = Object.entries(resources.kubernetes_config_map_v1 ?? {}).filter(([address]) => address.startsWith(`Keycloak-${site}_`));
      const xml = configMaps.map(([, b]) => (b.data as Record<string, string> | undefined)?.['infinispan.xml']).find((x) => x !== undefined);
      expect(xml).toBeDefined();
      expect(readFileSync(join(dir, site, 'infinispan.xml'), 'utf8')).toBe(unescapeLiteral(xml ?? ''));
    }
  });
});
