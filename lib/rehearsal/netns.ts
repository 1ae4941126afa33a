import { spawnSync } from 'node:child_process';
import { hasCommand, RehearsalError, run } from './runtime';

/**
 * Sites as separate hosts: each site gets a network namespace, joined to this machine's root
 * namespace by a veth pair (the client, the database) and to every other site by a veth pair of
 * its own (the inter-site link, the only path between sites), so cutting a link is a real network
 * event. Addresses are from 10.231.0.0/16 and exist only inside these namespaces.
 */
export interface SiteHost {
  readonly site: string;
  readonly namespace: string;
  /** The site's address (its Infinispan, load balancer and first node). */
  readonly address: string;
  /** Further addresses in the site for Keycloak nodes. */
  readonly nodeAddresses: readonly string[];
  /** The root namespace's address on the site's veth (where the database listens for this site). */
  readonly gateway: string;
}

export interface SiteLink { readonly a: string; readonly b: string; readonly device: string; readonly namespace: string }

export class SiteNetwork {
  readonly hosts: SiteHost[] = [];
  readonly links: SiteLink[] = [];
  private readonly prefix: string;

  constructor(sites: readonly string[], nodesPerSite: number) {
    if (process.getuid?.() !== 0) {
      throw new RehearsalError('root-required', 'a multi-site rehearsal puts each site in its own network namespace, which needs root', 'run it as root (CI runs as root), or rehearse a single-site topology');
    }
    if (!hasCommand('ip')) throw new RehearsalError('iproute2-missing', "network namespaces are made with 'ip', which is missing", 'install iproute2');
    this.prefix = `kcr${process.pid % 10000}`;
    const ip = (...args: string[]) => run('ip', args, { what: `ip ${args.join(' ')}`, fix: 'check that this machine allows network namespaces (ip netns add)' });
    try {
      sites.forEach((site, i) => {
        const namespace = `${this.prefix}-${i + 1}`;
        const outside = `${this.prefix}r${i + 1}`;
        const inside = `${this.prefix}s${i + 1}`;
        const net = `10.231.${i + 1}`;
        ip('netns', 'add', namespace);
        ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', inside);
        ip('link', 'set', inside, 'netns', namespace);
        ip('addr', 'add', `${net}.1/24`, 'dev', outside);
        ip('link', 'set', outside, 'up');
        ip('-n', namespace, 'link', 'set', 'lo', 'up');
        const nodeAddresses = Array.from({ length: nodesPerSite }, (_, n) => `${net}.${10 + n}`);
        for (const address of [`${net}.2`, ...nodeAddresses]) ip('-n', namespace, 'addr', 'add', `${address}/24`, 'dev', inside);
        ip('-n', namespace, 'link', 'set', inside, 'up');
        this.hosts.push({ site, namespace, address: `${net}.2`, nodeAddresses, gateway: `${net}.1` });
      });
      // One link per pair of sites; each side routes the other site's /24 over it.
      this.hosts.forEach((a, i) => this.hosts.slice(i + 1).forEach((b, k) => {
        const j = i + 1 + k;
        const devA = `${this.prefix}l${i + 1}${j + 1}`;
        const devB = `${this.prefix}m${i + 1}${j + 1}`;
        ip('link', 'add', devA, 'type', 'veth', 'peer', 'name', devB);
        ip('link', 'set', devA, 'netns', a.namespace);
        ip('link', 'set', devB, 'netns', b.namespace);
        const link = `10.232.${i + 1}${j + 1}`;
        ip('-n', a.namespace, 'addr', 'add', `${link}.1/30`, 'dev', devA);
        ip('-n', b.namespace, 'addr', 'add', `${link}.2/30`, 'dev', devB);
        ip('-n', a.namespace, 'link', 'set', devA, 'up');
        ip('-n', b.namespace, 'link', 'set', devB, 'up');
        ip('-n', a.namespace, 'route', 'add', `10.231.${j + 1}.0/24`, 'via', `${link}.2`);
        ip('-n', b.namespace, 'route', 'add', `10.231.${i + 1}.0/24`, 'via', `${link}.1`);
        this.links.push({ a: a.site, b: b.site, device: devA, namespace: a.namespace });
      }));
    } catch (error) {
      this.destroy();
      throw error;
    }
  }

  host(site: string): SiteHost {
    const host = this.hosts.find((h) => h.site === site);
    if (!host) throw new Error(`no host for site ${site}`);
    return host;
  }

  /** Takes the link between two sites down (or up again). */
  setLink(a: string, b: string, up: boolean): void {
    const link = this.links.find((l) => (l.a === a && l.b === b) || (l.a === b && l.b === a));
    if (!link) throw new Error(`no link between ${a} and ${b}`);
    run('ip', ['-n', link.namespace, 'link', 'set', link.device, up ? 'up' : 'down'], { what: 'switching the inter-site link', fix: 'check ip netns' });
    if (up) {
      // A link that went down lost its routes; put them back.
      const [i, j] = [this.hosts.findIndex((h) => h.site === link.a), this.hosts.findIndex((h) => h.site === link.b)];
      const net = `10.232.${i + 1}${j + 1}`;
      const peer = `${this.prefix}m${i + 1}${j + 1}`;
      spawnSync('ip', ['-n', this.hosts[j].namespace, 'link', 'set', peer, 'up']);
      spawnSync('ip', ['-n', link.namespace, 'route', 'replace', `10.231.${j + 1}.0/24`, 'via', `${net}.2`]);
      spawnSync('ip', ['-n', this.hosts[j].namespace, 'route', 'replace', `10.231.${i + 1}.0/24`, 'via', `${net}.1`]);
    }
  }

  /** The command prefix that runs a program inside a site's namespace. */
  exec(site: string): string[] {
    return ['ip', 'netns', 'exec', this.host(site).namespace];
  }

  /** Removes every namespace and veth this network made (deleting a namespace deletes its veths). */
  destroy(): void {
    const namespaces = (spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '').split('\n').map((l) => l.split(' ')[0]);
    for (const namespace of namespaces.filter((n) => n.startsWith(`${this.prefix}-`))) spawnSync('ip', ['netns', 'delete', namespace]);
    const leftovers = spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout ?? '';
    for (const match of leftovers.matchAll(new RegExp(`\\d+: (${this.prefix}[a-z0-9]+)@`, 'g'))) spawnSync('ip', ['link', 'delete', match[1]]);
  }
}
