/**
 * The users of a site's external Infinispan, each in one group whose name is a role of Infinispan's
 * default cluster role mapper (group name = role name), with cache authorization on
 * (`infinispan.xml` enables it on the container and on every cache):
 *
 * - `keycloak`, Keycloak's Hot Rod user, in `deployer`: read, write, listen and bulk operations on
 *   the caches (`ALL_READ`, `ALL_WRITE`, `LISTEN`), `/metrics` (`MONITOR`), `EXEC`, and `CREATE`.
 *   Keycloak needs `CREATE` because it uploads its ProtoStream schema into `___protobuf_metadata`
 *   at start (keycloak KeycloakIndexSchemaUtil: `putIfAbsent`/`replaceWithVersion` on that cache),
 *   and Infinispan guards writes there with `CREATE` (infinispan ProtobufMetadataManagerImpl adds
 *   CreatePermissionConfigurationBuilder to the cache when authorization is on). `application` lacks
 *   `CREATE`; `deployer` is the smallest default role with it, and has no `ADMIN` or `LIFECYCLE`
 *   (no site take-offline/bring-online, no server shutdown, no configuration changes). Default
 *   roles: infinispan GlobalAuthorizationConfiguration (15.0, 16.0), Infinispan security guide
 *   "Infinispan user roles and permissions".
 * - `operator`, in `admin`: for the runbook's cross-site operations (`take-offline`,
 *   `bring-online`, `push-state` need `ADMIN`). No workload logs in with it.
 */
export const INFINISPAN_IDENTITIES = [
  { user: 'keycloak', group: 'deployer' },
  { user: 'operator', group: 'admin' },
] as const;

/** Which user of the site's Infinispan: Keycloak's Hot Rod user or the operator's. */
export type InfinispanIdentity = (typeof INFINISPAN_IDENTITIES)[number]['user'];

/** The group (= role) of an identity. */
export function infinispanGroupOf(identity: InfinispanIdentity): string {
  const found = INFINISPAN_IDENTITIES.find((i) => i.user === identity);
  // INFINISPAN_IDENTITIES lists every InfinispanIdentity.
  if (!found) throw new Error(`infinispanGroupOf: unknown identity '${identity}'`);
  return found.group;
}

/**
 * Infinispan CLI batch that creates every identity (the server image's launch.sh runs the file
 * named by `IDENTITIES_BATCH` with `cli.sh --file` before starting the server; infinispan-images
 * README and bin/launch.sh). `credentials` gives each identity's username and password: literal
 * values, or printf `%s` placeholders (see `identitiesBatchScript`). Passwords must be letters and
 * digits: the CLI line is not quoted.
 */
export function identitiesBatch(credentials: Readonly<Record<InfinispanIdentity, { readonly username: string; readonly password: string }>>): string {
  return INFINISPAN_IDENTITIES.map(({ user, group }) => `user create ${credentials[user].username} -p ${credentials[user].password} -g ${group}\n`).join('');
}

/** Environment variables the start script reads each identity's username and password from. */
export const IDENTITY_ENV: Readonly<Record<InfinispanIdentity, { readonly username: string; readonly password: string }>> = {
  keycloak: { username: 'INFINISPAN_KEYCLOAK_USERNAME', password: 'INFINISPAN_KEYCLOAK_PASSWORD' },
  operator: { username: 'INFINISPAN_OPERATOR_USERNAME', password: 'INFINISPAN_OPERATOR_PASSWORD' },
};

/**
 * Shell lines (for a container's start script, `umask 077` set before) that write
 * `identitiesBatch()` to `path` from the variables of `IDENTITY_ENV`, drop those variables, and
 * point launch.sh at the file (`IDENTITIES_BATCH`, so launch.sh creates no `admin` user from
 * USER/PASS).
 */
export function identitiesBatchScript(path: string): string[] {
  const placeholders = { username: '%s', password: '%s' };
  const format = identitiesBatch({ keycloak: placeholders, operator: placeholders }).replace(/\n/g, '\\n');
  const args = INFINISPAN_IDENTITIES.flatMap(({ user }) => [`"$${IDENTITY_ENV[user].username}"`, `"$${IDENTITY_ENV[user].password}"`]);
  const variables = INFINISPAN_IDENTITIES.flatMap(({ user }) => [IDENTITY_ENV[user].username, IDENTITY_ENV[user].password]);
  return [
    `printf '${format}' ${args.join(' ')} > ${path}`,
    `unset ${variables.join(' ')}`,
    `export IDENTITIES_BATCH=${path}`,
  ];
}
