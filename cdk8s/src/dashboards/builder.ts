// A small typed builder for Grafana dashboard JSON: enough for timeseries,
// stat and bar gauge panels over the Prometheus datasource, laid out on the
// 24-column grid in rows of panels. What it writes validates against
// Grafana's own schema of the Grafana we ship (grafana-schema.test.ts):
// fields that schema requires are written out, with Grafana's defaults.

export const DATASOURCES = {
  prometheus: { type: 'prometheus', uid: 'prometheus' },
  jaeger: { type: 'jaeger', uid: 'jaeger' },
} as const;

/** A part of the stack a row, panel or query is about: left out when that part is not deployed. */
export type Feature = 'notification' | 'storefront';

export interface Query {
  expr: string;
  needs?: Feature[];
  legend?: string;
  /** Show exemplars (trace ids that link to Jaeger). */
  exemplar?: boolean;
  /** Instant query (bar gauges over the dashboard's range). */
  instant?: boolean;
}

export interface PanelSpec {
  title: string;
  needs?: Feature[];
  description?: string;
  type?: 'timeseries' | 'stat' | 'bargauge';
  unit?: string;
  queries: Query[];
  /** Grid width (of 24). */
  width?: number;
  height?: number;
  stack?: boolean;
  decimals?: number;
}

export interface RowSpec {
  title: string;
  needs?: Feature[];
  panels: PanelSpec[];
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  variables?: Record<string, unknown>[];
  rows: RowSpec[];
  links?: Record<string, unknown>[];
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: Record<string, unknown>[];
  [key: string]: unknown;
}

function panel(spec: PanelSpec, id: number, gridPos: { x: number; y: number; w: number; h: number }): Record<string, unknown> {
  const type = spec.type ?? 'timeseries';
  const custom =
    type === 'timeseries'
      ? {
          drawStyle: 'line',
          lineWidth: 1,
          fillOpacity: spec.stack ? 40 : 10,
          showPoints: 'never',
          stacking: { mode: spec.stack ? 'normal' : 'none', group: 'A' },
        }
      : {};
  return {
    id,
    type,
    title: spec.title,
    ...(spec.description ? { description: spec.description } : {}),
    datasource: DATASOURCES.prometheus,
    gridPos,
    fieldConfig: {
      defaults: {
        unit: spec.unit ?? 'short',
        ...(spec.decimals !== undefined ? { decimals: spec.decimals } : {}),
        custom,
      },
      overrides: [],
    },
    options:
      type === 'timeseries'
        ? { legend: { calcs: [], displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } }
        : type === 'bargauge'
          ? {
              orientation: 'horizontal',
              displayMode: 'basic',
              showUnfilled: true,
              reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
              // The bar gauge plugin's defaults (its panelcfg), which its schema requires.
              legend: { calcs: [], displayMode: 'list', placement: 'bottom', showLegend: false },
              maxVizHeight: 300,
              minVizHeight: 16,
              minVizWidth: 8,
              namePlacement: 'auto',
              sizing: 'auto',
              valueMode: 'color',
            }
          : {
              reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
              colorMode: 'value',
              graphMode: 'area',
              // The stat plugin's defaults (its panelcfg), which its schema requires.
              justifyMode: 'auto',
              orientation: 'auto',
              percentChangeColorMode: 'standard',
              showPercentChange: false,
              textMode: 'auto',
              wideLayout: true,
            },
    targets: spec.queries.map((q, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: DATASOURCES.prometheus,
      expr: q.expr,
      legendFormat: q.legend ?? '__auto',
      range: !q.instant,
      instant: Boolean(q.instant),
      ...(q.exemplar ? { exemplar: true } : {}),
    })),
  };
}

/** The dashboard of a spec, without the panels and queries about features that are not deployed. */
export function dashboard(spec: DashboardSpec, deployed: (f: Feature) => boolean = () => true): Dashboard {
  const panels: Record<string, unknown>[] = [];
  let id = 1;
  let y = 0;
  const kept = <T extends { needs?: Feature[] }>(x: T) => (x.needs ?? []).every(deployed);
  const rows = spec.rows
    .filter(kept)
    .map((row) => ({
      ...row,
      panels: row.panels
        .filter(kept)
        .map((p) => ({ ...p, queries: p.queries.filter(kept) }))
        .filter((p) => p.queries.length),
    }))
    .filter((row) => row.panels.length);
  for (const row of rows) {
    panels.push({ id: id++, type: 'row', title: row.title, collapsed: false, gridPos: { x: 0, y, w: 24, h: 1 }, panels: [] });
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const p of row.panels) {
      const w = p.width ?? 12;
      const h = p.height ?? 8;
      if (x + w > 24) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      panels.push(panel(p, id++, { x, y, w, h }));
      x += w;
      rowHeight = Math.max(rowHeight, h);
    }
    y += rowHeight;
  }
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: spec.tags,
    editable: false,
    graphTooltip: 1,
    refresh: '10s',
    schemaVersion: 41,
    time: { from: 'now-30m', to: 'now' },
    timepicker: {},
    timezone: 'browser',
    templating: { list: spec.variables ?? [] },
    annotations: { list: [] },
    links: spec.links ?? [
      {
        title: 'otel-shop',
        type: 'dashboards',
        tags: ['otel-shop'],
        asDropdown: true,
        includeVars: false,
        keepTime: true,
        icon: 'external link',
        targetBlank: false,
        tooltip: '',
      },
    ],
    panels,
    version: 1,
  };
}

/** A Prometheus query variable over one label of one metric. */
export function labelVariable(name: string, label: string, metricSelector: string, title = name): Record<string, unknown> {
  return {
    name,
    label: title,
    type: 'query',
    datasource: DATASOURCES.prometheus,
    // Grafana's schema has no `definition` (the editor's display copy of the query).
    query: { qryType: 1, query: `label_values(${metricSelector}, ${label})`, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    refresh: 2,
    includeAll: true,
    multi: true,
    allValue: '.*',
    current: { selected: true, text: ['All'], value: ['$__all'] },
    sort: 1,
  };
}

/** Every PromQL expression of a dashboard (tests check each metric exists). */
export function expressions(d: Dashboard): string[] {
  const out: string[] = [];
  for (const p of d.panels) for (const t of (p.targets as { expr: string }[] | undefined) ?? []) out.push(t.expr);
  for (const v of (d.templating as { list: { query?: { query?: string } }[] }).list ?? []) if (v.query?.query) out.push(v.query.query);
  return out;
}
