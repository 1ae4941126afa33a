import { CheckRule, ofType } from '../rule';

/** Every distributed cache entry lives on two nodes, so a node loss keeps it. */
export const cacheOwners: CheckRule = {
  id: 'cache-owners',
  severity: 'error',
  explanation: 'with one owner, in-flight logins and one-time action tokens on a failed node are lost',
  fix: 'keep keycloak.cacheOwners at 2 or more',
  evaluate(resources) {
    return ofType(resources, 'aws_ecs_task_definition').flatMap((resource) => {
      const containers = parseContainers(resource.body.container_definitions);
      return containers.flatMap((c) => c.environment ?? [])
        .filter(({ name, value }) => /^KC_SPI_CACHE_EMBEDDED__DEFAULT__.+_OWNERS$/.test(name) && Number(value) < 2)
        .map(({ name, value }) => ({ resource, detail: `${name} is ${value}` }));
    });
  },
};

interface ContainerDefinition {
  readonly name?: string;
  readonly environment?: { name: string; value: string }[];
}

/** ECS container definitions are JSON inside a string. */
export function parseContainers(definitions: unknown): ContainerDefinition[] {
  if (typeof definitions !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(definitions);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}
