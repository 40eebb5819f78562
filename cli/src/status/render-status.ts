// `shopctl status` for people: one row per component, then the verdict and,
// when not healthy, the reasons in one place.
import { PLAIN, type Style } from '../cli/style.ts';
import { alignColumns } from '../cli/table.ts';
import type { AlertsFacts } from './alerts.ts';
import type { StatusReport, Verdict } from './assess-status.ts';

const paint = (verdict: Verdict, style: Style) => (verdict === 'healthy' ? style.green : verdict === 'degraded' ? style.yellow : style.red);

export function renderStatus(report: StatusReport, style: Style = PLAIN): string[] {
  const rows = report.components.map((c) => [c.namespace, c.component, c.ready, String(c.restarts), paint(c.verdict, style)(c.verdict), c.details.join('; ')]);
  const [header = '', ...table] = alignColumns([['NAMESPACE', 'COMPONENT', 'READY', 'RESTARTS', 'STATE', 'DETAILS'], ...rows]);
  const lines = [`context ${style.bold(report.context)} (${report.server})`, '', style.dim(header), ...table, ''];
  lines.push(...renderAlerts(report.alerts, style));
  const problems = report.components.filter((c) => c.verdict !== 'healthy');
  if (report.verdict === 'healthy') {
    lines.push(style.green(`verdict: HEALTHY (${report.components.length} component${report.components.length === 1 ? '' : 's'})`));
  } else if (report.verdict === 'missing') {
    lines.push(style.red('verdict: MISSING: nothing of the shop was found here (wrong context or namespaces?)'));
  } else {
    lines.push(paint('degraded', style)(`verdict: DEGRADED (${problems.length} of ${report.components.length} components)`));
    for (const c of problems) lines.push(`  ${c.namespace}/${c.component}: ${c.verdict}, ${c.details.slice(0, 2).join('; ')}`);
  }
  return lines;
}

/** The firing alerts, pages first; or why none could be read. Nothing without an alerts source. */
export function renderAlerts(alerts: AlertsFacts | undefined, style: Style = PLAIN): string[] {
  if (!alerts) return [];
  if ('error' in alerts) return [style.yellow(`alerts: unknown (${alerts.source}: ${alerts.error})`), ''];
  if (alerts.firing.length === 0) return [`alerts: none firing (${alerts.source})`, ''];
  const rows = alerts.firing.map((a) => [a.severity || '-', a.name, a.slo ? `slo=${a.slo}` : '', `since ${a.since}`, a.summary ?? '']);
  return [
    `alerts: ${alerts.firing.length} firing (${alerts.source})`,
    ...alignColumns(rows).map((text, i) => (rows[i]![0] === 'page' ? style.red(`  ${text}`) : style.yellow(`  ${text}`))),
    '',
  ];
}

export function statusAsJson(report: StatusReport): Record<string, unknown> {
  return {
    context: report.context,
    server: report.server,
    verdict: report.verdict,
    components: report.components.map((c) => ({
      namespace: c.namespace,
      component: c.component,
      verdict: c.verdict,
      ready: c.ready,
      restarts: c.restarts,
      details: c.details,
    })),
    ...(report.alerts ? { alerts: report.alerts } : {}),
  };
}
