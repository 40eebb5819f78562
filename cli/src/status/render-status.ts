// `shopctl status` for people: one row per component, then the verdict and,
// when not healthy, the reasons in one place.
import { PLAIN, visibleLength, type Style } from '../cli/style.ts';
import type { StatusReport, Verdict } from './assess-status.ts';

const paint = (verdict: Verdict, style: Style) => (verdict === 'healthy' ? style.green : verdict === 'degraded' ? style.yellow : style.red);

export function renderStatus(report: StatusReport, style: Style = PLAIN): string[] {
  const rows = report.components.map((c) => [c.namespace, c.component, c.ready, String(c.restarts), paint(c.verdict, style)(c.verdict), c.details.join('; ')]);
  const header = ['NAMESPACE', 'COMPONENT', 'READY', 'RESTARTS', 'STATE', 'DETAILS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i]!))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visibleLength(cell))))
      .join('  ')
      .trimEnd();
  const lines = [`context ${style.bold(report.context)} (${report.server})`, '', style.dim(line(header)), ...rows.map(line), ''];
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
  };
}
