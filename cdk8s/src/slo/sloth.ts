// The objectives as a Sloth spec (prometheus/v1, github.com/slok/sloth), with
// the same SLI queries our rules use: what `sloth generate` makes of it is
// what sloth.test.ts holds our rules (rules.ts) against.
import { OBJECTIVES, type Objective } from '@shop/contracts';
import { stringify } from 'yaml';
import { WINDOW, errorRate, totalRate } from './promql.ts';
import { type AlertWindow, alertName } from './rules.ts';

/**
 * Sloth's default alert windows for a 30-day period (its catalog; the same
 * in v0.16.0): the workbook's two page pairs and, besides its 1x-over-3-days
 * ticket, a second ticket pair, 3x over 1 day and 2 hours (10 % of the
 * budget in a day). Ours (rules.ts ALERT_WINDOWS) leave that one out, as
 * the workbook's table does: both ticket pairs fire when 10 % of the budget
 * is spent within their long window, and 10 % spent within a day is also
 * spent within three days, so the 1x-over-3-days pair fires at the same
 * moment; the 3x pair would only let the ticket resolve sooner (its short
 * window is 2 hours, not 6).
 */
export const SLOTH_DEFAULT_WINDOWS: readonly AlertWindow[] = [
  { severity: 'page', long: '1h', short: '5m', budgetSpent: 0.02 },
  { severity: 'page', long: '6h', short: '30m', budgetSpent: 0.05 },
  { severity: 'ticket', long: '1d', short: '2h', budgetSpent: 0.1 },
  { severity: 'ticket', long: '3d', short: '6h', budgetSpent: 0.1 },
];

/** Sloth's `service`: its rules' sloth_id is `<service>-<slo name>`. */
export const SLOTH_SERVICE = 'otel-shop';

export function slothSpec(objectives: readonly Objective[] = OBJECTIVES): string {
  return stringify(
    {
      version: 'prometheus/v1',
      service: SLOTH_SERVICE,
      slos: objectives.map((o) => ({
        name: o.name,
        objective: Number((o.target * 100).toFixed(6)),
        description: o.promise,
        sli: { events: { error_query: errorRate(o, WINDOW), total_query: totalRate(o, WINDOW) } },
        alerting: {
          name: alertName(o),
          page_alert: { labels: { severity: 'page' } },
          ticket_alert: { labels: { severity: 'ticket' } },
        },
      })),
    },
    { lineWidth: 0 },
  );
}
