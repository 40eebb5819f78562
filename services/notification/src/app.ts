// notification-service's HTTP side (health, readiness, admin). The Kafka
// consumer is started beside it by main.ts; both get their clients injected
// so tests build them against the real Postgres and Kafka.
import { createService, pingPostgres, type App, type LogOptions, type Sql } from '@shop/kit';
import { SERVICE_NAME } from './config.ts';
import type { Database } from './db/client.ts';
import { notificationRoutes } from './routes/notifications.ts';

export interface AppDeps extends LogOptions {
  sql: Sql;
  db: Database;
  /** Throws unless the consumer has joined its group. */
  consumerReady: () => void;
}

export function buildApp(deps: AppDeps): App {
  const app = createService({
    name: SERVICE_NAME,
    readiness: {
      postgres: () => pingPostgres(deps.sql),
      consumer: async () => deps.consumerReady(),
    },
    logLevel: deps.logLevel,
    logStream: deps.logStream,
  });
  void app.register(notificationRoutes, { db: deps.db });
  return app;
}
