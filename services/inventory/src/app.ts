// inventory-service as a Fastify app, built from injected clients so tests
// can run it against the real database with app.inject.
import { createService, pingPostgres, type App, type FaultFlags, type LogOptions, type Sql } from '@shop/kit';
import { SERVICE_NAME } from './config.ts';
import { createDatabase } from './db/client.ts';
import { productRoutes } from './routes/products.ts';
import { reservationRoutes } from './routes/reservations.ts';

export interface AppDeps extends LogOptions {
  /** The kit's traced postgres.js pool on the inventory database. */
  sql: Sql;
  /** The fault flags (inventorySlowdownMs); every flag off when absent. */
  flags?: FaultFlags;
}

export function buildApp(deps: AppDeps): App {
  const app = createService({
    name: SERVICE_NAME,
    readiness: { postgres: () => pingPostgres(deps.sql) },
    logLevel: deps.logLevel,
    logStream: deps.logStream,
  });
  const db = createDatabase(deps.sql);
  void app.register(productRoutes, { db });
  void app.register(reservationRoutes, { db, flags: deps.flags });
  return app;
}
