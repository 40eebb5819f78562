// Applies a service's drizzle-kit migrations. Replicas starting together
// take turns through a PostgreSQL advisory lock; the lock lives on the one
// connection this short-lived client holds.
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';

const MIGRATION_LOCK = 0x5e0d; // any constant shared by all our services

export async function runMigrations(databaseUrl: string, migrationsFolder: string): Promise<void> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(drizzle({ client: sql }), { migrationsFolder });
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Migrations at start-up or from `node src/db/migrate.ts`: a failure is one
 * clear line and exit code 1 (a service cannot serve without its schema; the
 * supervisor, kubelet or `make local`, starts it again).
 */
export async function migrateOrExit(service: string, databaseUrl: string, migrationsFolder: string): Promise<void> {
  try {
    await runMigrations(databaseUrl, migrationsFolder);
  } catch (err) {
    process.stderr.write(`${service}: migrations failed: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
