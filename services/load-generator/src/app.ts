// The load generator as a Fastify app on the kit's createService (health,
// readiness, drain, the JSON error model): it serves nothing but its
// probes and GET /status. The gateway is not a readiness condition: with it
// down the generator counts the failures and keeps going.
import { createService, type App, type LogOptions } from '@shop/kit';
import { SERVICE_NAME } from './config.ts';
import type { GeneratorStatus } from './generator.ts';
import { statusRoutes } from './routes/status.ts';

export interface AppDeps extends LogOptions {
  status: () => GeneratorStatus;
}

export function buildApp(deps: AppDeps): App {
  const app = createService({ name: SERVICE_NAME, bodyLimit: 1024, logLevel: deps.logLevel, logStream: deps.logStream });
  void app.register(statusRoutes, { status: deps.status });
  return app;
}
