// Alertmanager's configuration, as the chart writes it for each choice of
// receivers, is one Alertmanager v0.35.0 accepts (`amtool check-config`, the
// release of the chart's image, scripts/tools/alertmanager.sh), routes a
// page to the page receiver and a ticket to the ticket one (`amtool config
// routes test`), and sends a severity without a URL nowhere. Prometheus
// sends its alerts to the Alertmanager Service, and to none when it is off.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cachedTool } from '../model/paths.ts';
import { DEV_VALUES, mergeValues, type Values } from '../model/values.ts';
import { objects, type Obj } from '../../test/test-support.ts';

const amtool = join(cachedTool('alertmanager.sh'), 'amtool');
const work = mkdtempSync(join(tmpdir(), 'otel-shop-alertmanager-'));
after(() => rmSync(work, { recursive: true, force: true }));

const withReceivers = (page: string, ticket: string): Values =>
  mergeValues<Values>(DEV_VALUES, { alertmanager: { receivers: { page: { url: page, port: 443 }, ticket: { url: ticket, port: 443 } } } });

function configOf(values: Values): { file: string; config: Obj } {
  const secret = objects(values).find((o) => o.kind === 'Secret' && o.metadata.name === 'alertmanager-config')!;
  const text = secret.stringData['alertmanager.yml'] as string;
  const file = join(work, `${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(file, text);
  return { file, config: parse(text) };
}

const receiverOf = (file: string, ...labels: string[]) =>
  execFileSync(amtool, ['config', 'routes', 'test', `--config.file=${file}`, ...labels], { encoding: 'utf8' }).trim();

const CASES: [string, string, string][] = [
  ['no receiver', '', ''],
  ['page only', 'https://pager.example.com/hook', ''],
  ['ticket only', '', 'http://tickets.example.com:8080/otel-shop'],
  ['both', 'https://pager.example.com/hook', 'http://tickets.example.com:8080/otel-shop'],
];

for (const [name, page, ticket] of CASES) {
  test(`${name}: amtool accepts the configuration, and each severity goes to its receiver`, () => {
    const { file, config } = configOf(withReceivers(page, ticket));
    execFileSync(amtool, ['check-config', file], { stdio: 'pipe' });
    assert.equal(receiverOf(file, 'alertname=OrderPlacementAvailabilityBudgetBurn', 'severity=page', 'slo=order-placement-availability'), 'page');
    assert.equal(receiverOf(file, 'alertname=OrderPlacementAvailabilityBudgetBurn', 'severity=ticket', 'slo=order-placement-availability'), 'ticket');
    assert.equal(receiverOf(file, 'alertname=Watchdog'), 'null');
    const urls = (r: string) => (config.receivers as Obj[]).find((x) => x.name === r)!.webhook_configs?.map((w: Obj) => w.url) ?? [];
    assert.deepEqual(urls('page'), page ? [page] : [], 'page: a webhook only with a URL');
    assert.deepEqual(urls('ticket'), ticket ? [ticket] : []);
    assert.deepEqual(urls('null'), []);
  });
}

test('Prometheus sends alerts to the Alertmanager Service, and loads the SLO rules; without Alertmanager it sends none', () => {
  const promConfig = (values: Values) =>
    parse(objects(values).find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'prometheus-config')!.data['prometheus.yml']);
  const on = promConfig(DEV_VALUES);
  assert.deepEqual(on.alerting.alertmanagers[0].static_configs[0].targets, ['alertmanager.observability.svc.cluster.local:9093']);
  assert.deepEqual(on.rule_files, ['/etc/prometheus/rules/*.yml']);
  const off = mergeValues<Values>(DEV_VALUES, { alertmanager: { enabled: false } });
  assert.equal(promConfig(off).alerting, undefined);
  assert.ok(!objects(off).some((o) => o.metadata.name?.startsWith('alertmanager')), 'no Alertmanager object');
});
