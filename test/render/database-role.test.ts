import { defineTopology } from '../../lib';
import { DATABASE_ROLE_PASSWORD_ENV, KEYCLOAK_DATABASE_ROLE, renderDatabaseRoleSql } from '../../lib/render/database-role';

const sql = renderDatabaseRoleSql(defineTopology({ hostname: 'auth.example.com', sites: { eu: { region: 'eu-west-1' } }, database: { databaseName: 'iam' } }));
const statements = sql.split('\n').filter((line) => !line.startsWith('--') && !line.startsWith('\\'));

describe('renderDatabaseRoleSql', () => {
  test('the role is created only when missing, so the script can run at every task start', () => {
    expect(KEYCLOAK_DATABASE_ROLE).toBe('keycloak_app');
    expect(sql).toMatch(/SELECT 'CREATE ROLE "keycloak_app"' WHERE NOT EXISTS \(SELECT FROM pg_catalog\.pg_roles WHERE rolname = 'keycloak_app'\) \\gexec/);
    expect(statements.filter((line) => /^\s*CREATE /.test(line))).toEqual([]);
    // Concurrent starts in several sites serialize on one advisory lock inside one transaction.
    expect(sql.indexOf('pg_advisory_xact_lock')).toBeGreaterThan(sql.indexOf('BEGIN;'));
    expect(sql.trimEnd().endsWith('COMMIT;')).toBe(true);
  });

  test('it grants no superuser, role or database creation, and fails on a privileged role', () => {
    expect(sql).not.toMatch(/\bSUPERUSER\b/);
    expect(sql).not.toMatch(/\bGRANT\s+(rds_superuser|pg_\w+)/i);
    expect(sql).toMatch(/ALTER ROLE "keycloak_app" WITH LOGIN NOCREATEDB NOCREATEROLE PASSWORD :'role_password';/);
    expect(sql).toMatch(/rolsuper OR rolreplication OR rolbypassrls\)\) THEN RAISE EXCEPTION/);
  });

  test('rights only on Keycloak\'s database and its public schema', () => {
    expect(statements.filter((line) => /^GRANT /.test(line))).toEqual([
      'GRANT CONNECT, TEMPORARY ON DATABASE "iam" TO "keycloak_app";',
      'GRANT USAGE, CREATE ON SCHEMA public TO "keycloak_app";',
    ]);
  });

  test('tables the master user owns in public (Keycloak logged in as the master before) move to the role, only when not yet moved', () => {
    const handOver = statements.find((line) => line.includes("OWNER TO %I")) ?? '';
    expect(handOver).toMatch(/WHERE n\.nspname = 'public' .*c\.relowner = \(SELECT oid FROM pg_catalog\.pg_roles WHERE rolname = CURRENT_USER\)/);
    expect(handOver.endsWith('\\gexec')).toBe(true);
    expect(sql).toContain('\'GRANT "keycloak_app" TO CURRENT_USER\' WHERE NOT pg_catalog.pg_has_role(CURRENT_USER, \'keycloak_app\', \'MEMBER\') \\gexec');
  });

  test('the password is read from the environment, never written into the script', () => {
    expect(sql).toContain(`\\getenv role_password ${DATABASE_ROLE_PASSWORD_ENV}`);
    expect(sql).toMatch(/RAISE EXCEPTION 'KEYCLOAK_DB_PASSWORD is not set'/);
  });

  test('on a read-only server (a reader, a secondary cluster of a global database) it changes nothing and succeeds', () => {
    const check = sql.indexOf('pg_is_in_recovery()');
    const quit = sql.indexOf('\\quit');
    expect(check).toBeGreaterThan(-1);
    expect(sql).toContain("current_setting('transaction_read_only')");
    expect(quit).toBeGreaterThan(check);
    expect(quit).toBeLessThan(sql.indexOf('BEGIN;'));
  });
});
