// Everything of @shop/load: the open-loop engine (a fixed run for
// `shopctl load`, a steady one for the load generator), the order request
// both send, and the latency statistics.
export * from './outcome.ts';
export * from './open-loop.ts';
export * from './steady-load.ts';
export * from './arrival-clock.ts';
export * from './order-sender.ts';
export * from './latency-stats.ts';
