/**
 * What `rehearse()` runs (downloads, server processes, network namespaces, drills, the report),
 * each module loaded the first time the rehearsal uses it: importing the library must not load
 * the rehearsal's modules (and with them Node's HTTP clients) for a program that only synthesizes.
 * lib/rehearsal/index.ts imports these from here; their types come from the modules with `import type`.
 */
import { defineLazyExports } from './lazy-exports';
import type * as artifacts from '../rehearsal/artifacts';
import type * as context from '../rehearsal/context';
import type * as loadBalancer from '../rehearsal/load-balancer';
import type * as multiSite from '../rehearsal/multi-site';
import type * as netns from '../rehearsal/netns';
import type * as report from '../rehearsal/report';
import type * as singleSite from '../rehearsal/single-site';
import type * as tls from '../rehearsal/tls';

export declare const fetchArtifact: typeof artifacts.fetchArtifact;
export declare const pickVersion: typeof artifacts.pickVersion;
export declare const requireJava: typeof artifacts.requireJava;
export declare const servedVersions: typeof artifacts.servedVersions;
export declare const unpackOnce: typeof artifacts.unpackOnce;
export declare const versionOf: typeof context.versionOf;
export declare const readSynthesizedLoadBalancer: typeof loadBalancer.readSynthesizedLoadBalancer;
export declare const rehearseSites: typeof multiSite.rehearseSites;
export declare const SiteNetwork: typeof netns.SiteNetwork;
export type SiteNetwork = netns.SiteNetwork;
export declare const renderRehearsalReport: typeof report.renderRehearsalReport;
export declare const rehearseSingleSite: typeof singleSite.rehearseSingleSite;
export declare const ThrowAwayCa: typeof tls.ThrowAwayCa;
export type ThrowAwayCa = tls.ThrowAwayCa;

/** Module → the exports declared above; every one is listed here once. */
const PARTS: Readonly<Record<string, readonly string[]>> = {
  '../rehearsal/artifacts': ['fetchArtifact', 'pickVersion', 'requireJava', 'servedVersions', 'unpackOnce'],
  '../rehearsal/context': ['versionOf'],
  '../rehearsal/load-balancer': ['readSynthesizedLoadBalancer'],
  '../rehearsal/multi-site': ['rehearseSites'],
  '../rehearsal/netns': ['SiteNetwork'],
  '../rehearsal/report': ['renderRehearsalReport'],
  '../rehearsal/single-site': ['rehearseSingleSite'],
  '../rehearsal/tls': ['ThrowAwayCa'],
};

defineLazyExports(exports, PARTS);
