// The Kubernetes environment of each service is equivalent to the one
// scripts/local.sh gives it in local mode: every variable local mode sets
// that the service reads (its config spec, the kit's telemetry spec, the
// OTel SDK's OTEL_*) is set in Kubernetes too, with the same ports and
// service names; only addresses differ.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES, SERVICE_NAMES } from './topology.ts';
import { ROOT, objects, type Obj } from './test-support.ts';

const localSh = readFileSync(join(ROOT, 'scripts', 'local.sh'), 'utf8');

function assoc(name: string): Record<string, string> {
  const m = new RegExp(`declare -A ${name}=\\(([^)]*)\\)`).exec(localSh);
  assert.ok(m, `local.sh declares ${name}`);
  return Object.fromEntries([...m[1]!.matchAll(/\[([a-z]+)\]=([^\s)]+)/g)].map((x) => [x[1]!, x[2]!]));
}

/** Variables service_env() echoes (NAME=...), and whether only some services get them. */
function localVariables(): { name: string; conditional: boolean }[] {
  const body = /service_env\(\)\s*\{([\s\S]*?)\n\}/.exec(localSh)?.[1];
  assert.ok(body, 'local.sh has service_env()');
  const out: { name: string; conditional: boolean }[] = [];
  let depth = 0;
  for (const line of body.split('\n')) {
    if (/^\s*if\b/.test(line)) depth++;
    const m = /echo "([A-Z][A-Z0-9_]*)=/.exec(line);
    if (m) out.push({ name: m[1]!, conditional: depth > 0 });
    if (/^\s*fi\b/.test(line)) depth--;
  }
  return out;
}

/** Variables a service reads through the kit's config helpers (config.ts and the telemetry spec). */
function readsOf(service: string): Set<string> {
  const files = [join(ROOT, 'services', service, 'src', 'config.ts'), join(ROOT, 'services', 'kit', 'src', 'telemetry', 'sdk.ts')];
  const names = new Set<string>();
  for (const f of files) for (const m of readFileSync(f, 'utf8').matchAll(/\(\s*'([A-Z][A-Z0-9_]+)'/g)) names.add(m[1]!);
  return names;
}

function kubernetesEnv(service: string): Record<string, string> {
  const list = objects();
  const d = list.find((o) => o.kind === 'Deployment' && o.metadata.name === service)!;
  const c = d.spec.template.spec.containers[0];
  const env: Record<string, string> = {};
  for (const ef of c.envFrom ?? []) Object.assign(env, list.find((o) => o.kind === 'ConfigMap' && o.metadata.name === ef.configMapRef.name)!.data);
  for (const e of c.env as Obj[]) env[e.name] = e.value ?? `<from ${Object.keys(e.valueFrom)[0]}>`;
  return env;
}

test('every variable local mode gives a service, and the service reads, is set on Kubernetes', () => {
  const vars = localVariables();
  assert.ok(vars.length >= 10, `parsed ${vars.length} variables from local.sh`);
  const missing: string[] = [];
  for (const s of SERVICE_NAMES) {
    const reads = readsOf(s);
    const env = kubernetesEnv(s);
    for (const v of vars) {
      const needed = v.name.startsWith('OTEL_') || reads.has(v.name);
      if (v.name === 'DATABASE_URL' && !SERVICES[s].database) continue;
      if (needed && !(v.name in env)) missing.push(`${s}: ${v.name}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('same ports, OTel service names and sampler as local mode', () => {
  const ports = assoc('PORTS');
  const names = assoc('OTEL_NAMES');
  for (const s of SERVICE_NAMES) {
    const env = kubernetesEnv(s);
    assert.equal(env.PORT, ports[s], `${s} PORT`);
    assert.equal(env.OTEL_SERVICE_NAME, names[s], `${s} OTEL_SERVICE_NAME`);
    assert.equal(env.OTEL_TRACES_SAMPLER, 'parentbased_traceidratio');
    assert.equal(env.OTEL_TRACES_SAMPLER_ARG, '1', 'every trace in dev, as in local mode');
    assert.equal(env.HOST, '0.0.0.0', 'reachable from other pods (local mode binds 127.0.0.1)');
    if (SERVICES[s].database) assert.match(env.DATABASE_URL!, new RegExp(`^postgres://shop:\\$\\(POSTGRES_PASSWORD\\)@postgres\\.shop\\.svc\\.cluster\\.local:5432/${SERVICES[s].database}$`));
  }
});
