// skaffold.yaml validates against the skaffold/v4beta14 JSON schema (from
// the skaffold module, scripts/tools/skaffold-schema.sh) and points at things that exist: the Dockerfile and
// its build arg, the cdk8s output, the chart and its values files, and
// Services/ports to forward. kind-config.yaml maps the NodePorts we create.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { skaffoldSchema } from './model/paths.ts';
import { IMAGE_NAMES, NODE_PORTS, serviceImageName } from './model/topology.ts';
import { ROOT, objects, parseYamlDocs, type Obj } from '../test/test-support.ts';

const docs = parseYamlDocs(readFileSync(join(ROOT, 'skaffold.yaml'), 'utf8'));
const config = (name: string) => docs.find((d) => d.metadata?.name === name)!;

test('skaffold.yaml validates against the skaffold/v4beta14 schema', () => {
  const schema = JSON.parse(readFileSync(skaffoldSchema(), 'utf8'));
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  assert.equal(docs.length, 2);
  for (const d of docs) {
    assert.equal(d.apiVersion, 'skaffold/v4beta14');
    assert.ok(validate(d), `${d.metadata.name}: ${JSON.stringify(validate.errors, null, 1)}`);
  }
  // Not vacuous: the schema rejects unknown fields.
  assert.equal(validate({ ...docs[1], deploy: { ...docs[1]!.deploy, kubectll: {} } }), false);
});

test('the app config requires the Strimzi operator release', () => {
  const strimzi = config('strimzi');
  const release = strimzi.deploy.helm.releases[0];
  assert.equal(release.namespace, 'kafka');
  assert.equal(release.version, '1.2.0');
  assert.equal(release.createNamespace, true);
  for (const f of release.valuesFiles) assert.ok(existsSync(join(ROOT, f)), f);
  assert.deepEqual(config('otel-shop').requires, [{ configs: ['strimzi'] }]);
});

test('an artifact per image (the services, the storefront, the load generator, flag-sync) from the one Dockerfile, one build arg each', () => {
  const artifacts = config('otel-shop').build.artifacts as Obj[];
  assert.deepEqual(
    artifacts.map((a) => a.image),
    IMAGE_NAMES.map(serviceImageName),
  );
  for (const [i, a] of artifacts.entries()) {
    assert.equal(a.docker.dockerfile, 'Dockerfile');
    assert.equal(a.context ?? '.', '.');
    assert.deepEqual(a.docker.buildArgs, { SERVICE: IMAGE_NAMES[i] });
  }
  assert.equal(config('otel-shop').build.local.push, false, 'kind: images are loaded, not pushed');
});

test('manifests come from the cdk8s output; the port-forwards reach real Service ports', () => {
  const app = config('otel-shop');
  const [glob] = app.manifests.rawYaml as string[];
  assert.equal(glob, 'cdk8s/manifests/*.k8s.yaml');
  assert.ok(readdirSync(join(ROOT, 'cdk8s', 'manifests')).filter((f) => f.endsWith('.k8s.yaml')).length >= 8);
  const list = objects();
  const forwards = app.portForward as Obj[];
  assert.deepEqual(
    forwards.map((f) => f.localPort as number).sort((a, b) => a - b),
    [3000, 8080, 8090, 16686],
  );
  for (const f of forwards) {
    const svc = list.find((o) => o.kind === 'Service' && o.metadata.name === f.resourceName && o.metadata.namespace === f.namespace);
    assert.ok(svc, `${f.namespace}/${f.resourceName}`);
    assert.ok(
      svc.spec.ports.some((p: Obj) => p.port === f.port),
      `${f.resourceName}:${f.port}`,
    );
  }
});

test('profiles: helm deploys the chart in three namespaces with skaffold-built images; production adds values-production.yaml', () => {
  const profiles: Record<string, Obj> = Object.fromEntries((config('otel-shop').profiles as Obj[]).map((p) => [p.name, p]));
  assert.deepEqual(Object.keys(profiles).sort(), ['helm', 'production']);
  for (const p of Object.values(profiles)) {
    assert.deepEqual(p.patches.map((x: Obj) => x.path).sort(), ['/deploy/kubectl', '/manifests/rawYaml']);
    const release = p.deploy.helm.releases[0];
    assert.ok(existsSync(join(ROOT, release.chartPath, 'Chart.yaml')));
    for (const s of IMAGE_NAMES) {
      const key = serviceImageName(s).replace(/[/.:-]/g, '_');
      assert.equal(release.setValueTemplates[`images.${s}`], `{{.IMAGE_FULLY_QUALIFIED_${key}}}`);
    }
  }
  // make dev's three namespaces, which the port-forwards above name (the chart's default is the release's namespace).
  for (const p of Object.values(profiles)) assert.equal(p.deploy.helm.releases[0].valuesFiles[0], 'charts/otel-shop/values-three-namespaces.yaml');
  const three = parse(readFileSync(join(ROOT, 'charts/otel-shop/values-three-namespaces.yaml'), 'utf8'));
  assert.deepEqual(three.namespaces, { shop: 'shop', kafka: 'kafka', observability: 'observability' });
  const [, values] = profiles.production!.deploy.helm.releases[0].valuesFiles;
  const production = parse(readFileSync(join(ROOT, values), 'utf8'));
  assert.equal(production.telemetry.samplingRatio, 0.1, '10% sampling in production');
});

test('kind-config.yaml: a named cluster mapping exactly our NodePorts to the host loopback', () => {
  const kind = parse(readFileSync(join(ROOT, 'kind-config.yaml'), 'utf8'));
  assert.equal(kind.kind, 'Cluster');
  assert.equal(kind.apiVersion, 'kind.x-k8s.io/v1alpha4');
  assert.equal(kind.name, 'otel-shop');
  const mappings = kind.nodes.flatMap((n: Obj) => n.extraPortMappings ?? []);
  const nodePorts = objects()
    .filter((o) => o.kind === 'Service' && o.spec.type === 'NodePort')
    .flatMap((o) => o.spec.ports.map((p: Obj) => p.nodePort));
  assert.deepEqual(mappings.map((m: Obj) => m.containerPort).sort(), [...nodePorts].sort());
  assert.deepEqual([...nodePorts].sort(), Object.values(NODE_PORTS).sort());
  for (const m of mappings) {
    assert.equal(m.hostPort, m.containerPort);
    assert.equal(m.listenAddress, '127.0.0.1');
  }
});
