// The SLO rules hold: promtool (built from the Prometheus module the cluster
// tier runs, scripts/tools/promtool.sh) accepts the rule files the chart's
// Prometheus loads, and `promtool test rules` passes the generated cases of
// every alert (promtool-tests.ts): it fires at the burn it is meant for
// within the expected time, stays silent just under its threshold, resolves
// after the errors stop. Every objective has a page and a ticket alert, and
// every alert has its cases.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OBJECTIVES, type ObjectiveName, objective } from '@shop/contracts';
import { parse, stringify } from 'yaml';
import { cachedTool } from '../model/paths.ts';
import { eventExamplesMatch, promtoolTests } from './promtool-tests.ts';
import { ALERT_WINDOWS, SEVERITIES, SLO_DASHBOARD, alertName, burnRate, ruleFile, sloRuleGroups } from './rules.ts';

const promtool = cachedTool('promtool.sh');
const work = mkdtempSync(join(tmpdir(), 'otel-shop-slo-rules-'));
after(() => rmSync(work, { recursive: true, force: true }));
const groups = sloRuleGroups();
writeFileSync(join(work, 'slo.rules.yml'), ruleFile(groups));
const files = promtoolTests(OBJECTIVES, groups, 'slo.rules.yml');
for (const f of files) writeFileSync(join(work, f.name), f.text);

function promtoolRun(args: string[]): { ok: boolean; output: string } {
  try {
    return { ok: true, output: execFileSync(promtool, args, { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

test("the burn rates are the SRE workbook's for a 30-day objective: 14.4x (1 h), 6x (6 h), 1x (3 d)", () => {
  assert.deepEqual(
    ALERT_WINDOWS.map((w) => [w.severity, w.long, w.short, burnRate(w, 30)]),
    [
      ['page', '1h', '5m', 14.4],
      ['page', '6h', '30m', 6],
      ['ticket', '3d', '6h', 1],
    ],
  );
});

test('promtool check rules accepts the rules', () => {
  const { ok, output } = promtoolRun(['check', 'rules', 'slo.rules.yml']);
  assert.ok(ok, output);
  assert.match(output, /SUCCESS: \d+ rules found/);
});

test('every objective has a page and a ticket alert, and every alert has its cases: fires, silent, resolves', () => {
  const alerts = groups.flatMap((g) => g.rules).filter((r) => r.alert);
  for (const o of OBJECTIVES) {
    for (const severity of SEVERITIES)
      assert.ok(
        alerts.some((a) => a.alert === alertName(o) && a.labels?.severity === severity),
        `${o.name}: no ${severity} alert`,
      );
  }
  const covered = files.flatMap((f) => f.covers);
  for (const a of alerts) {
    const c = covered.find((x) => x.alertname === a.alert && x.severity === a.labels?.severity);
    assert.ok(c, `${a.alert} ${a.labels?.severity}: no test`);
    assert.deepEqual(
      { fires: c.fires, silent: c.silent, resolves: c.resolves },
      { fires: true, silent: true, resolves: true },
      `${a.alert} ${a.labels?.severity}`,
    );
  }
});

test('the cases are checked: a case expecting silence where the alert fires fails', () => {
  const file = parse(files[0]!.text);
  // The first case (fires), its checks where the alert is expected to fire, expected silent instead.
  const [fires] = file.tests;
  const flipped = fires.alert_rule_test.filter((c: { exp_alerts: unknown[] }) => c.exp_alerts.length > 0);
  assert.ok(flipped.length > 0);
  for (const c of flipped) c.exp_alerts = [];
  writeFileSync(join(work, 'wrong.test.yml'), stringify({ ...file, tests: [fires] }));
  const { ok, output } = promtoolRun(['test', 'rules', 'wrong.test.yml']);
  assert.equal(ok, false);
  assert.match(output, /FAILED:[\s\S]*exp:\[\][\s\S]*got:\[/);
});

test('the example events are events of their objective, good and bad as named', () => {
  assert.deepEqual(OBJECTIVES.flatMap(eventExamplesMatch), []);
});

test("each alert's runbook names the SLO dashboard, the query to open and the docs", () => {
  for (const g of groups.filter((x) => x.name.startsWith('slo-alerts-')))
    for (const r of g.rules) {
      const slo = objective(g.name.slice('slo-alerts-'.length) as ObjectiveName);
      assert.ok(r.annotations?.runbook?.includes(SLO_DASHBOARD.title), r.alert);
      assert.ok(r.annotations?.runbook?.includes(`/d/${SLO_DASHBOARD.uid}`), r.alert);
      assert.match(r.annotations?.runbook ?? '', /In Prometheus, the error ratio: \(\(sum\(rate\(/);
      assert.ok(r.annotations?.runbook?.includes(`docs/slo.md#${slo.name}`), r.alert);
      assert.equal(r.annotations?.dashboard, `/d/${SLO_DASHBOARD.uid}`);
    }
});

for (const f of files) {
  test(`promtool test rules ${f.name}`, () => {
    const { ok, output } = promtoolRun(['test', 'rules', f.name]);
    assert.ok(ok, output);
  });
}

test("the chart's Prometheus loads exactly these rules, and without the notification service none about it", async () => {
  const { objects } = await import('../../test/test-support.ts');
  const { DEV_VALUES, mergeValues } = await import('../model/values.ts');
  const rulesOf = (values: typeof DEV_VALUES) =>
    objects(values).find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'prometheus-rules')!.data['slo.rules.yml'] as string;
  assert.equal(rulesOf(DEV_VALUES), ruleFile(groups));
  const without = rulesOf(mergeValues<typeof DEV_VALUES>(DEV_VALUES, { services: { notification: { enabled: false } } }));
  assert.ok(!without.includes('notification'), 'no freshness rule');
  writeFileSync(join(work, 'without-notification.rules.yml'), without);
  const { ok, output } = promtoolRun(['check', 'rules', 'without-notification.rules.yml']);
  assert.ok(ok, output);
});
