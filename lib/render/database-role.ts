import { Topology } from '../model/topology';

/**
 * The PostgreSQL role Keycloak logs in as: not the master user (whose name, `keycloak`, deployments
 * of 0.1.0 keep), no superuser, no role or database creation.
 */
export const KEYCLOAK_DATABASE_ROLE = 'keycloak_app';

/** Environment variable the script reads the role's password from (psql `\getenv`, so it is never an argument). */
export const DATABASE_ROLE_PASSWORD_ENV = 'KEYCLOAK_DB_PASSWORD';

/** The advisory lock the script holds while it changes roles: tasks of several sites may start at once. */
const ROLE_LOCK_KEY = 'keycloak-database-role';

/**
 * The psql script that gives Keycloak its own PostgreSQL role, run by the database's master user
 * (RDS: a member of `rds_superuser`; the rehearsal: the local superuser) connected to Keycloak's
 * database, before Keycloak starts. Idempotent: every run leaves the same role with the same rights
 * and the password of `$KEYCLOAK_DB_PASSWORD`, so it runs at every task start and whichever site
 * starts first creates the role.
 *
 * The role may log in, connect to Keycloak's database and create tables in its `public` schema (so
 * it owns the tables Keycloak's migrations create and alter); it may not create roles or databases,
 * and the script fails if it is a superuser, may replicate or bypasses row security. PostgreSQL 15
 * and later no longer let every role create objects in `public`, hence the explicit grant. Tables,
 * views and sequences in `public` that the user running the script owns (Keycloak's schema of a
 * deployment where Keycloak logged in as the master user) are handed to the role, so its migrations
 * can alter them; for that the running user becomes a member of the role (PostgreSQL 16 lets a
 * non-superuser creator only administer the role, not act as it).
 *
 * On a read-only server (a reader or a secondary cluster of an Aurora Global Database, which only
 * replicate what the writer did) it changes nothing and succeeds: the writer creates the role, and
 * replication brings it here. psql 15 or later (`\getenv`).
 */
export function renderDatabaseRoleSql(topology: Topology): string {
  const role = quoteIdent(KEYCLOAK_DATABASE_ROLE);
  const database = quoteIdent(topology.database.databaseName);
  return [
    `-- Keycloak's own PostgreSQL role ${role} on database ${database}; run as the master user, connected to ${database}.`,
    `-- Idempotent: safe at every start of a Keycloak task. The password comes from $${DATABASE_ROLE_PASSWORD_ENV}.`,
    '\\set ON_ERROR_STOP on',
    `\\getenv role_password ${DATABASE_ROLE_PASSWORD_ENV}`,
    '\\if :{?role_password}',
    '\\else',
    `  DO $$ BEGIN RAISE EXCEPTION '${DATABASE_ROLE_PASSWORD_ENV} is not set'; END $$;`,
    '\\endif',
    "SELECT pg_catalog.pg_is_in_recovery() OR pg_catalog.current_setting('transaction_read_only')::boolean AS read_only \\gset",
    '\\if :read_only',
    "  \\echo 'read-only server: the writer creates the role, replication brings it here; nothing to do'",
    '  \\quit',
    '\\endif',
    'BEGIN;',
    `SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('${ROLE_LOCK_KEY}')) AS locked \\gset`,
    `SELECT 'CREATE ROLE ${role}' WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${quoteLiteral(KEYCLOAK_DATABASE_ROLE)}) \\gexec`,
    // SUPERUSER, REPLICATION and BYPASSRLS cannot even be named by a non-superuser (RDS's master is
    // not one), and CREATE ROLE leaves them off: checked instead of set.
    `ALTER ROLE ${role} WITH LOGIN NOCREATEDB NOCREATEROLE PASSWORD :'role_password';`,
    `DO $$ BEGIN IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${quoteLiteral(KEYCLOAK_DATABASE_ROLE)} AND (rolsuper OR rolreplication OR rolbypassrls)) ` +
      `THEN RAISE EXCEPTION 'role ${KEYCLOAK_DATABASE_ROLE} is a superuser or may replicate or bypass row security; a superuser must take that away'; END IF; END $$;`,
    `GRANT CONNECT, TEMPORARY ON DATABASE ${database} TO ${role};`,
    `GRANT USAGE, CREATE ON SCHEMA public TO ${role};`,
    `SELECT 'GRANT ${role} TO CURRENT_USER' WHERE NOT pg_catalog.pg_has_role(CURRENT_USER, ${quoteLiteral(KEYCLOAK_DATABASE_ROLE)}, 'MEMBER') \\gexec`,
    // Sequences that belong to a column move with their table.
    `SELECT pg_catalog.format('ALTER %s %I.%I OWNER TO %I', CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, ` +
      `n.nspname, c.relname, ${quoteLiteral(KEYCLOAK_DATABASE_ROLE)}) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace ` +
      "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND c.relowner = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = CURRENT_USER) " +
      "AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')) \\gexec",
    'COMMIT;',
    '',
  ].join('\n');
}

/** A PostgreSQL identifier, double-quoted. */
function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A PostgreSQL string literal. */
function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
