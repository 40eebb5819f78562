// Every dashboard, as Grafana gets it, validates against Grafana's own
// schema of the Grafana we ship: @grafana/schema at the version of the
// image table's Grafana (12.4.10), whose types are generated from Grafana's
// CUE kinds. Its TypeScript types are turned into JSON Schema
// (ts-json-schema-generator, objects closed: an unknown field is an error,
// as is a wrong type or a value outside an enum) and each dashboard is
// checked: the dashboard against `Dashboard`, each panel against `Panel` or
// `RowPanel`, and each panel's options and field config against its panel
// plugin's `Options` and `FieldConfig` (timeseries, stat, bar gauge).
// Grafana cannot run here; this is what says a panel of ours is one it reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { createGenerator } from 'ts-json-schema-generator';
import { THIRD_PARTY_IMAGES } from '../model/images.ts';
import { DASHBOARDS, dashboardsFor, deployedInCluster } from './index.ts';
import type { Dashboard } from './builder.ts';

const require = createRequire(import.meta.url);
const SCHEMA_DIR = dirname(require.resolve('@grafana/schema/package.json'));
const RAW = join(SCHEMA_DIR, 'dist', 'types', 'raw');

const ajv = new Ajv({ strict: false, allErrors: true });
function validator(file: string, type: string): ValidateFunction {
  const schema = createGenerator({ path: join(RAW, file), type, skipTypeCheck: true, additionalProperties: false }).createSchema(type);
  return ajv.compile({ ...schema, $schema: undefined });
}

const dashboard = validator('dashboard/x/types.gen.d.ts', 'Dashboard');
const panel = validator('dashboard/x/types.gen.d.ts', 'Panel');
const rowPanel = validator('dashboard/x/types.gen.d.ts', 'RowPanel');
const PLUGINS: Record<string, { options: ValidateFunction; fieldConfig: ValidateFunction }> = Object.fromEntries(
  ['timeseries', 'stat', 'bargauge'].map((p) => [
    p,
    {
      options: validator(`composable/${p}/panelcfg/x/types.gen.d.ts`, 'Options'),
      fieldConfig: validator(`composable/${p}/panelcfg/x/types.gen.d.ts`, 'FieldConfig'),
    },
  ]),
);

/** Every schema violation of a dashboard, one line each. */
function violations(d: Dashboard): string[] {
  const out: string[] = [];
  const check = (what: string, v: ValidateFunction, x: unknown) => {
    if (!v(x)) out.push(`${d.uid} ${what}: ${ajv.errorsText(v.errors)}`);
  };
  check('dashboard', dashboard, d);
  for (const p of d.panels as Record<string, unknown>[]) {
    const where = `panel "${String(p.title)}"`;
    if (p.type === 'row') {
      check(where, rowPanel, p);
      continue;
    }
    check(where, panel, p);
    const plugin = PLUGINS[String(p.type)];
    if (!plugin) {
      out.push(`${d.uid} ${where}: no schema for panel type ${String(p.type)}`);
      continue;
    }
    check(`${where} options`, plugin.options, p.options);
    check(`${where} field config`, plugin.fieldConfig, (p.fieldConfig as { defaults?: { custom?: unknown } }).defaults?.custom ?? {});
  }
  return out;
}

test("the schema is the image's Grafana's: @grafana/schema at the image table's tag", () => {
  const version = JSON.parse(readFileSync(join(SCHEMA_DIR, 'package.json'), 'utf8')).version;
  assert.equal(version, THIRD_PARTY_IMAGES.grafana.tag);
  const pinned = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')).devDependencies['@grafana/schema'];
  assert.equal(pinned, THIRD_PARTY_IMAGES.grafana.tag, 'pinned exactly in cdk8s/package.json');
});

test("every dashboard, with every set of features deployed, validates against Grafana's schema", () => {
  const all = [
    ...DASHBOARDS,
    ...[true, false].flatMap((notification) => [true, false].flatMap((storefront) => dashboardsFor(deployedInCluster({ notification, storefront })))),
  ];
  assert.ok(all.length >= 16);
  assert.deepEqual(all.flatMap(violations), []);
});

test('the check is not vacuous: a misspelt field, a wrong type and a value outside an enum fail', () => {
  const d = structuredClone(DASHBOARDS[0]!);
  const first = d.panels.find((p) => p.type === 'timeseries')! as Record<string, any>;
  first.gridPos.wdth = 12;
  first.fieldConfig.defaults.custom.drawStyle = 'curves';
  first.options.legend.displayMode = 3;
  (d as Record<string, unknown>).refreshh = '5s';
  const found = violations(d);
  for (const bad of ['wdth', 'drawStyle', 'displayMode', 'refreshh'])
    assert.ok(
      found.some((v) => v.includes(bad) || v.includes('additional')),
      `${bad}: ${found.join('\n')}`,
    );
  assert.ok(found.length >= 4, found.join('\n'));
});
