import { CheckRule, ofType, valueAt } from '../rule';

const ROUTING_POLICIES = ['failover_routing_policy', 'latency_routing_policy', 'geolocation_routing_policy', 'weighted_routing_policy'];

/** A routing record must stop answering for a site that is down. */
export const dnsHealthCheck: CheckRule = {
  id: 'dns-health-check',
  severity: 'error',
  explanation: 'a failover, latency, geolocation or weighted record without a health check keeps sending users to a dead site',
  fix: 'attach a health_check_id (on /lb-check) or use an alias with evaluate_target_health',
  evaluate(resources) {
    return ofType(resources, 'aws_route53_record')
      .filter((record) => ROUTING_POLICIES.some((policy) => record.body[policy] !== undefined))
      .filter((record) => !record.body.health_check_id && valueAt(record.body, 'alias.evaluate_target_health') !== true)
      .map((resource) => ({ resource, detail: 'the routing record has no health check' }));
  },
};
