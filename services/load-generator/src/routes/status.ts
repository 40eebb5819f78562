// GET /status: the rate the generator keeps and where it comes from, what
// is in flight, and what it has sent since it started, by outcome.
import { Type } from '@sinclair/typebox';
import type { App } from '@shop/kit';
import type { GeneratorStatus } from '../generator.ts';

const StatusResponse = Type.Object({
  rate: Type.Number({ description: 'Orders per second it keeps now.' }),
  rate_source: Type.Union([Type.Literal('flag'), Type.Literal('configured')]),
  in_flight: Type.Integer(),
  sent: Type.Integer({ description: 'Orders sent since the start that came to an end.' }),
  placed: Type.Integer({ description: 'Of those, answered 2xx.' }),
  not_sent: Type.Integer({ description: 'Arrivals that found the concurrency cap full.' }),
  by_outcome: Type.Record(Type.String(), Type.Integer()),
});

export interface StatusRoutesOptions {
  status: () => GeneratorStatus;
}

export async function statusRoutes(app: App, options: StatusRoutesOptions): Promise<void> {
  app.get('/status', { schema: { response: { 200: StatusResponse } } }, async () => {
    const { rate, inFlight, totals } = options.status();
    return {
      rate: rate.perSecond,
      rate_source: rate.source,
      in_flight: inFlight,
      sent: totals.sent,
      placed: totals.placed,
      not_sent: totals.notSent,
      by_outcome: totals.byOutcome,
    };
  });
}
