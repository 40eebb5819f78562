export * from './config.ts';
export * from './errors.ts';
export * from './logger.ts';
export * from './server.ts';
export * from './http-client.ts';
export * from './db.ts';
export * from './migrate.ts';
export * from './redis.ts';
export * from './kafka.ts';
export * from './periodic.ts';
export * from './telemetry/context.ts';
export * from './token-bucket.ts';
export { sampledTraceBudget, clientAddress, forwardedClientAddress, type TraceBudgetOptions } from './telemetry/trace-budget.ts';
export { onFirstUse } from './telemetry/on-first-use.ts';
export type { SampledParentBudget } from './telemetry/http-server.ts';
export {
  startTelemetry,
  telemetry,
  UNTRACED_PATHS,
  FASTIFY_INSTRUMENTATIONS,
  type FastifyInstrumentationChoice,
  type TelemetryHandle,
} from './telemetry/sdk.ts';
export * from './flags/index.ts';
