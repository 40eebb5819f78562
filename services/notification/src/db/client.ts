// The drizzle handle over the kit's traced postgres.js pool.
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Sql } from '@shop/kit';

export type Database = PostgresJsDatabase;

export function createDatabase(sql: Sql): Database {
  return drizzle({ client: sql });
}
