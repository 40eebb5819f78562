// Everything of @shop/contracts; the subpaths (./ids, ./services, ...) hold the parts.
export * from './ids.ts';
export * from './services.ts';
export * from './topics.ts';
export * from './order-event.ts';
export * from './api/errors.ts';
export * from './api/public.ts';
export * from './api/internal.ts';
export * from './local.ts';
export * from './storefront.ts';
export * from './load-generator.ts';
export * from './flags.ts';
export * from './telemetry.ts';
export * from './attributes.ts';
export * from './objectives.ts';
