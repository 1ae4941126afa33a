import { TopologyInput } from '../lib/model/define';
import { KeycloakImage } from '../lib/model/image';

/** Shared fixtures: the topologies tests of several modules reason about. */
export const wrapperImage = KeycloakImage.fromRegistry('registry.example.com/keycloak:26.7.0', { bundlesAwsJdbcWrapper: true });

/** Two sites in one region: active/active, synchronous cross-site caches (Keycloak's blueprint). */
export const sameRegion: TopologyInput = {
  hostname: 'auth.example.com',
  keycloak: { image: wrapperImage },
  sites: { 'eu-a': { region: 'eu-west-1', cidr: '10.10.0.0/16' }, 'eu-b': { region: 'eu-west-1', cidr: '10.20.0.0/16' } },
};

/** Two sites in two regions: active/passive, asynchronous replication, RPO > 0. */
export const twoRegions: TopologyInput = {
  ...sameRegion,
  sites: { eu: { region: 'eu-west-1', cidr: '10.10.0.0/16' }, us: { region: 'us-east-1', cidr: '10.20.0.0/16' } },
};
