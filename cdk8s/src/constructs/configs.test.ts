// The configuration files inside the ConfigMaps hold together: Jaeger's is
// accepted by a real Jaeger v2 (`jaeger validate`, the binary
// scripts/tools/jaeger.sh caches), the collector's pipelines reference only
// components it defines and the contrib distribution has, ports match the
// pods and Services, and Grafana's provisioning points at what is mounted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { parse } from 'yaml';
import { cachedTool } from '../model/paths.ts';
import { COLLECTOR, JAEGER } from '../model/topology.ts';
import { objects, type Obj } from '../../test/test-support.ts';

const list = objects();
const configMap = (name: string) => list.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name)!;
const workload = (name: string) => list.find((o) => ['Deployment', 'DaemonSet', 'StatefulSet'].includes(o.kind) && o.metadata.name === name)!;
const ports = (name: string): Obj[] => workload(name).spec.template.spec.containers.flatMap((c: Obj) => c.ports ?? []);

/**
 * Component types of otelcol-contrib 0.159.0 that this config may use
 * (opentelemetry-collector-releases distributions/otelcol-contrib/manifest.yaml
 * at v0.159.0; snake_case names as in their metadata.yaml).
 */
const CONTRIB = {
  receivers: ['otlp', 'kafka_metrics'],
  processors: ['memory_limiter', 'k8s_attributes', 'batch'],
  exporters: ['otlp_grpc', 'prometheus', 'nop', 'debug'],
  connectors: ['span_metrics'],
  extensions: ['health_check'],
};

test('collector: every pipeline component is defined, known to otelcol-contrib 0.159, and used', () => {
  const config = parse(configMap('otel-collector-config').data['config.yaml']);
  const used = new Map<string, Set<string>>(Object.keys(CONTRIB).map((k) => [k, new Set()]));
  for (const [name, p] of Object.entries(config.service.pipelines as Record<string, Obj>)) {
    assert.ok(['traces', 'metrics', 'logs'].includes(name.split('/')[0]!), name);
    for (const r of p.receivers) used.get(config.connectors[r] ? 'connectors' : 'receivers')!.add(r);
    for (const x of p.processors ?? []) used.get('processors')!.add(x);
    for (const e of p.exporters) used.get(config.connectors[e] ? 'connectors' : 'exporters')!.add(e);
    assert.equal(p.processors?.[0] ?? 'memory_limiter', 'memory_limiter', `${name}: memory_limiter comes first`);
  }
  for (const e of config.service.extensions) used.get('extensions')!.add(e);
  for (const [kind, known] of Object.entries(CONTRIB)) {
    const defined = Object.keys(config[kind] ?? {});
    for (const c of defined) assert.ok(known.includes(c.split('/')[0]!), `${kind}.${c} is not a 0.159 contrib component name`);
    assert.deepEqual([...used.get(kind)!].sort(), [...defined].sort(), `${kind}: defined = used`);
  }
  // The span metrics feed the metrics pipeline and get traces.
  assert.ok(config.service.pipelines.traces.exporters.includes('span_metrics'));
  assert.ok(config.service.pipelines.metrics.receivers.includes('span_metrics'));
  assert.ok(config.service.pipelines.traces.processors.includes('k8s_attributes'));
});

test('collector: listeners, probes, the metrics Service and the Jaeger endpoint agree', () => {
  const config = parse(configMap('otel-collector-config').data['config.yaml']);
  const portOf = (endpoint: string) => Number(endpoint.split(':').at(-1));
  const declared = ports(COLLECTOR.name);
  const byNumber = (n: number) => declared.find((p) => p.containerPort === n);
  assert.equal(byNumber(portOf(config.receivers.otlp.protocols.http.endpoint))?.hostPort, COLLECTOR.otlpHttp);
  assert.equal(byNumber(portOf(config.receivers.otlp.protocols.grpc.endpoint))?.hostPort, COLLECTOR.otlpGrpc);
  assert.ok(byNumber(portOf(config.exporters.prometheus.endpoint)));
  assert.equal(config.exporters.prometheus.enable_open_metrics, true, 'exemplars need OpenMetrics');
  const health = workload(COLLECTOR.name).spec.template.spec.containers[0].readinessProbe.httpGet.port;
  assert.equal(declared.find((p) => p.name === health)?.containerPort, portOf(config.extensions.health_check.endpoint));
  const jaegerSvc = list.find((o) => o.kind === 'Service' && o.metadata.name === JAEGER.name)!;
  assert.ok(jaegerSvc.spec.ports.some((p: Obj) => p.port === portOf(config.exporters['otlp_grpc/jaeger'].endpoint)));
  const env = workload(COLLECTOR.name).spec.template.spec.containers[0].env.map((e: Obj) => e.name);
  for (const m of JSON.stringify(config).matchAll(/\$\{env:([A-Z_]+)\}/g)) assert.ok(env.includes(m[1]), `env ${m[1]}`);
  // RBAC for k8s_attributes.
  const role = list.find((o) => o.kind === 'ClusterRole')!;
  assert.ok(role.rules.some((r: Obj) => r.resources.includes('pods') && r.verbs.includes('watch')));
});

test('jaeger: a real Jaeger v2 accepts the config', () => {
  const JAEGER_BIN = cachedTool('jaeger.sh');
  const dir = mkdtempSync(join(tmpdir(), 'otel-shop-jaeger-'));
  try {
    const file = join(dir, 'config.yaml');
    writeFileSync(file, configMap('jaeger-config').data['config.yaml']);
    execFileSync(JAEGER_BIN, ['validate', `--config=${file}`], { env: { ...process.env, POD_IP: '127.0.0.1' }, stdio: 'pipe' });
    // Not vacuous: a misspelt setting is refused.
    writeFileSync(file, configMap('jaeger-config').data['config.yaml'].replace('max_traces', 'max_tracez'));
    assert.throws(() => execFileSync(JAEGER_BIN, ['validate', `--config=${file}`], { env: { ...process.env, POD_IP: '127.0.0.1' }, stdio: 'pipe' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('jaeger: memory storage is capped; probes and ports match the config', () => {
  const config = parse(configMap('jaeger-config').data['config.yaml']);
  assert.equal(config.extensions.jaeger_storage.backends.memstore.memory.max_traces, JAEGER.memoryMaxTraces);
  const declared = ports(JAEGER.name).map((p) => p.containerPort);
  for (const e of [
    config.extensions.jaeger_query.http.endpoint,
    config.receivers.otlp.protocols.grpc.endpoint,
    config.extensions.healthcheckv2.http.endpoint,
  ]) {
    assert.ok(declared.includes(Number(e.split(':').at(-1))), e);
  }
});

test('prometheus: scrapes the collector through its headless Service, short retention, exemplars on', () => {
  const config = parse(configMap('prometheus-config').data['prometheus.yml']);
  const [job] = config.scrape_configs;
  const svc = list.find((o) => o.kind === 'Service' && o.metadata.name === `${COLLECTOR.name}-metrics`)!;
  assert.equal(svc.spec.clusterIP, 'None');
  assert.equal(job.dns_sd_configs[0].port, svc.spec.ports[0].port);
  assert.equal(job.honor_labels, true);
  const args: string[] = workload('prometheus').spec.template.spec.containers[0].args;
  assert.ok(args.includes('--enable-feature=exemplar-storage'));
  assert.ok(args.some((a) => /^--storage\.tsdb\.retention\.time=\d+h$/.test(a)));
});

test('grafana: provisioning, dashboards and datasources fit together', () => {
  const d = workload('grafana').spec.template.spec;
  const c = d.containers[0];
  const provisioning = configMap('grafana-provisioning');
  const dashboards = configMap('grafana-dashboards');
  const providers = parse(provisioning.data['dashboards.yaml']);
  const mount = c.volumeMounts.find((m: Obj) => m.mountPath === providers.providers[0].options.path);
  assert.equal(d.volumes.find((v: Obj) => v.name === mount.name).configMap.name, dashboards.metadata.name);
  const items = d.volumes.find((v: Obj) => v.configMap?.name === provisioning.metadata.name).configMap.items.map((i: Obj) => i.path);
  assert.deepEqual(items.sort(), ['dashboards/dashboards.yaml', 'datasources/datasources.yaml']);
  const home = c.env.find((e: Obj) => e.name === 'GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH').value as string;
  assert.ok(Object.keys(dashboards.data).includes(home.split('/').at(-1)!));
  const uids = new Set(parse(provisioning.data['datasources.yaml']).datasources.map((ds: Obj) => ds.uid));
  const seen = new Set<string>();
  for (const json of Object.values(dashboards.data as Record<string, string>)) {
    const dash = JSON.parse(json);
    assert.ok(!seen.has(dash.uid), dash.uid);
    seen.add(dash.uid);
    for (const p of dash.panels) if (p.datasource) assert.ok(uids.has(p.datasource.uid), `${dash.uid}: ${p.title}`);
  }
  // No outbound internet from Grafana: updates, analytics and plugin installs are off.
  const env = Object.fromEntries(c.env.filter((e: Obj) => 'value' in e).map((e: Obj) => [e.name, e.value]));
  assert.equal(env.GF_PLUGINS_PREINSTALL_DISABLED, 'true');
  assert.equal(env.GF_ANALYTICS_CHECK_FOR_UPDATES, 'false');
});
