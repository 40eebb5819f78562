// The drizzle handle over the kit's traced postgres.js pool.
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Sql } from '@shop/kit';

export type Database = PostgresJsDatabase;
/** A database handle or an open transaction: repositories accept either. */
export type Executor = Database | Parameters<Parameters<Database['transaction']>[0]>[0];

export function createDatabase(sql: Sql): Database {
  return drizzle({ client: sql });
}
