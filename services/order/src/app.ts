// The order-service application: the kit's server with the order routes.
// Dependencies come in from outside so tests build it on real clients.
import { createService, pingPostgres, type App, type FaultFlags, type LogOptions, type Sql } from '@shop/kit';
import type { InventoryClient } from './clients/inventory-client.ts';
import type { PaymentClient } from './clients/payment-client.ts';
import { SERVICE_NAME } from './config.ts';
import type { Database } from './db/client.ts';
import { orderRoutes } from './routes/orders.ts';

export interface AppDeps extends LogOptions {
  sql: Sql;
  db: Database;
  inventory: InventoryClient;
  payment: PaymentClient;
  /** See SagaDeps.chargeDeadlineMs. */
  chargeDeadlineMs?: number;
  /** The fault flags; every flag off when absent. */
  flags?: FaultFlags;
}

export function buildApp(deps: AppDeps): App {
  const app = createService({
    name: SERVICE_NAME,
    // Postgres only: Kafka being down must not stop order-taking (the outbox
    // holds the events), and peers have their own readiness.
    readiness: { postgres: () => pingPostgres(deps.sql) },
    logLevel: deps.logLevel,
    logStream: deps.logStream,
  });
  void app.register(orderRoutes, {
    db: deps.db,
    inventory: deps.inventory,
    payment: deps.payment,
    chargeDeadlineMs: deps.chargeDeadlineMs,
    flags: deps.flags,
  });
  return app;
}
