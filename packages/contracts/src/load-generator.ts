// The load generator (docs/load-generator.md): a deployable that places
// orders through the gateway at the rate the fault flag loadGeneratorRate
// says (else its configured LOAD_GENERATOR_RATE; 0 places none), so the
// dashboards have traffic without anyone running `shopctl load`. Like the
// storefront, a client of the public API with its own key, not a row of
// the five services' table.
import type { ServiceName } from './services.ts';

export interface LoadGeneratorSpec {
  /** The workspace (`services/<name>`) and the name local mode runs it under. */
  name: 'load-generator';
  /** Its health, readiness and status (it serves nothing else). */
  port: number;
  /** OTel service.name: each order it places is a root span of this service. */
  otelName: string;
  /** Backend services it calls over HTTP (`<PEER>_URL`). */
  calls: readonly ServiceName[];
}

export const LOAD_GENERATOR: Readonly<LoadGeneratorSpec> = {
  name: 'load-generator',
  port: 8091,
  otelName: 'load-generator',
  calls: ['gateway'],
};

/** The load generator's spans. */
export const LOAD_GENERATOR_SPANS = {
  /** One order placed: a root span, parent of the POST to the gateway; `http.response.status_code` or `load.outcome` say how it went. */
  order: 'load-generator.order',
} as const;
