import { CheckRule, ofType, referenceTo, Violation } from '../rule';

/** A database that survives a zone: instances in at least two distinct zones. */
export const databaseMultiAz: CheckRule = {
  id: 'database-multi-az',
  severity: 'error',
  explanation: 'with every instance in one zone, losing that zone stops all logins until the database is restored',
  fix: 'use at least two instances (database.instances) in distinct zones',
  evaluate(resources) {
    const violations: Violation[] = [];
    for (const cluster of ofType(resources, 'aws_rds_cluster')) {
      const instances = ofType(resources, 'aws_rds_cluster_instance')
        .filter((i) => String(i.body.cluster_identifier).startsWith(referenceTo(cluster)));
      const zones = new Set(instances.map((i) => JSON.stringify(i.body.availability_zone ?? null)));
      if (instances.length < 2) {
        violations.push({ resource: cluster, detail: `the cluster has ${instances.length} instance(s)` });
      } else if (zones.size < 2 || zones.has('null')) {
        violations.push({ resource: cluster, detail: 'its instances are not pinned to distinct availability zones' });
      }
    }
    return violations;
  },
};
