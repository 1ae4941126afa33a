import fc from 'fast-check';
import { TopologyInput } from '../lib/model/define';
import { KeycloakImage } from '../lib/model/image';
import { FARGATE_MEMORY_BY_VCPU, LOG_RETENTION_DAYS } from '../lib/model/aws-limits';

/** Topologies that satisfy every rule: validate must find no error in any of them. */
export const validTopology: fc.Arbitrary<TopologyInput> = fc
  .record({
    zones: fc.integer({ min: 2, max: 6 }),
    extraNodes: fc.integer({ min: 0, max: 9 }),
    ownersWanted: fc.integer({ min: 2, max: 5 }),
    second: fc.integer({ min: 0, max: 255 }),
    prefix: fc.integer({ min: 16, max: 20 }),
    vcpu: fc.constantFrom(...FARGATE_MEMORY_BY_VCPU.keys()),
    memoryIndex: fc.nat(),
    pool: fc.integer({ min: 1, max: 1000 }),
    instances: fc.integer({ min: 2, max: 6 }),
    retention: fc.constantFrom(...LOG_RETENTION_DAYS),
    siteName: fc.stringMatching(/^[a-z][a-z0-9-]{0,18}[a-z0-9]$/).filter((name) => !name.includes('--')),
    wrapper: fc.boolean(),
  })
  .map((g) => {
    const nodes = g.zones + g.extraNodes;
    const memories = FARGATE_MEMORY_BY_VCPU.get(g.vcpu) ?? [];
    return {
      hostname: 'auth.example.com',
      sites: { [g.siteName]: { region: 'eu-central-1', cidr: `10.${g.second}.0.0/${g.prefix}`, zones: g.zones, nodes } },
      keycloak: {
        vcpu: g.vcpu,
        memoryMiB: memories[g.memoryIndex % memories.length],
        dbPoolSize: g.pool,
        cacheOwners: Math.min(g.ownersWanted, nodes),
        image: g.wrapper ? KeycloakImage.fromRegistry('r.example.com/kc:1', { bundlesAwsJdbcWrapper: true }) : KeycloakImage.official(),
      },
      database: { instances: Math.min(g.instances, g.zones) },
      traffic: { logRetentionDays: g.retention },
    };
  });

