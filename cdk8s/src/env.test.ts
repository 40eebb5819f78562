// The Kubernetes environment of each service is equivalent to the one
// `make local` gives it (localServiceEnv of @shop/contracts, which
// scripts/local/local.sh runs): every variable local mode sets that the service
// reads (its config spec, the kit's telemetry spec, the OTel SDK's OTEL_*)
// is set in Kubernetes too, with the same ports and service names; only
// addresses differ.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localServiceEnv } from '@shop/contracts';
import { SERVICES, SERVICE_NAMES } from './model/topology.ts';
import { ROOT, objects, type Obj } from '../test/test-support.ts';

/** Variables a service reads through the kit's config helpers (config.ts and the telemetry spec). */
function readsOf(service: string): Set<string> {
  const files = [join(ROOT, 'services', service, 'src', 'config.ts'), join(ROOT, 'packages', 'kit', 'src', 'telemetry', 'sdk.ts')];
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
  const missing: string[] = [];
  for (const s of SERVICE_NAMES) {
    const reads = readsOf(s);
    const env = kubernetesEnv(s);
    const local = Object.keys(localServiceEnv(s, {}));
    assert.ok(local.length >= 10, `${s}: ${local.length} variables in local mode`);
    for (const name of local) {
      const needed = name.startsWith('OTEL_') || reads.has(name);
      if (needed && !(name in env)) missing.push(`${s}: ${name}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('same ports, OTel service names and sampler as local mode', () => {
  for (const s of SERVICE_NAMES) {
    const env = kubernetesEnv(s);
    const local = localServiceEnv(s, {});
    assert.equal(env.PORT, local.PORT, `${s} PORT`);
    assert.equal(env.OTEL_SERVICE_NAME, local.OTEL_SERVICE_NAME, `${s} OTEL_SERVICE_NAME`);
    assert.equal(env.OTEL_TRACES_SAMPLER, local.OTEL_TRACES_SAMPLER);
    assert.equal(env.OTEL_TRACES_SAMPLER_ARG, '1', 'every trace in dev, as in local mode');
    assert.equal(env.HOST, '0.0.0.0', 'reachable from other pods (local mode binds 127.0.0.1)');
    if (SERVICES[s].database)
      assert.match(
        env.DATABASE_URL!,
        new RegExp(`^postgres://shop:\\$\\(POSTGRES_PASSWORD\\)@postgres\\.shop\\.svc\\.cluster\\.local:5432/${SERVICES[s].database}$`),
      );
  }
});
