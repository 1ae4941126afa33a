import { CheckRule, ofType, valueAt } from '../rule';

/** Keycloak tasks live in private subnets and are reached through the load balancer only. */
export const taskPublicIp: CheckRule = {
  id: 'task-public-ip',
  severity: 'error',
  explanation: 'a task with a public address can be reached around the load balancer, its TLS and its health checks',
  fix: 'set assign_public_ip to false and run tasks in private subnets',
  evaluate(resources) {
    return ofType(resources, 'aws_ecs_service')
      .filter((service) => valueAt(service.body, 'network_configuration.assign_public_ip') === true)
      .map((resource) => ({ resource, detail: 'network_configuration.assign_public_ip is true' }));
  },
};
