// Every image the project names comes from the one table (src/model/images.ts),
// with the evidence that its tag exists: the synthesized objects, the Helm
// chart as it renders, the Dockerfile, skaffold.yaml, and any tracked file
// (scripts, docs, comments) that spells out an image reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHART_DIR } from './paths.ts';
import { IMAGES, KIND_NODE_IMAGE, STRIMZI_CHART, TEST_ONLY_IMAGES, THIRD_PARTY_IMAGES, imageReference, kindNodeImageReference } from './images.ts';
import { IMAGE_NAMES, serviceImageName } from './topology.ts';
import { PRODUCTION_VALUES } from './values.ts';
import { ROOT, helm, objects, parseYamlDocs, run, type Obj } from '../../test/test-support.ts';

const KNOWN = new Set([
  ...Object.values(IMAGES),
  ...Object.values(TEST_ONLY_IMAGES).map((i) => i.reference),
  // Written with its digest after the tag.
  `${KIND_NODE_IMAGE.repository}:${KIND_NODE_IMAGE.tag}`,
]);
const OURS = new RegExp(`^(.+/)?(${IMAGE_NAMES.map(serviceImageName).join('|')}):[\\w.-]+$`);

function containerImages(list: Obj[]): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key?: string) => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
    else if (key === 'image' && typeof v === 'string') out.push(v);
  };
  walk(list);
  return out;
}

test('every entry of the image table carries evidence that its tag exists', () => {
  for (const [key, entry] of Object.entries(THIRD_PARTY_IMAGES)) {
    assert.ok(entry.evidence.length > 0, `${key}: no evidence`);
    assert.doesNotMatch(entry.tag, /^(latest|[a-z]+)$/, `${key}: a floating tag`);
  }
  assert.ok(STRIMZI_CHART.evidence.length > 0);
});

test('every container image of the manifests and of the chart is in the table, or one of ours (IMAGE_NAMES)', () => {
  const rendered = (args: string[]) => parseYamlDocs(run(helm(), ['template', 'otel-shop', CHART_DIR, ...args]));
  const sources: [string, Obj[]][] = [
    ['dev objects', objects()],
    ['production objects', objects(PRODUCTION_VALUES)],
    ['chart defaults', rendered([])],
    ['chart production', rendered(['-f', join(CHART_DIR, 'values-production.yaml')])],
  ];
  for (const [what, list] of sources) {
    const images = containerImages(list);
    assert.ok(images.length > 10, what);
    const strangers = images.filter((i) => !Object.values(IMAGES).includes(i) && !OURS.test(i));
    assert.deepEqual([...new Set(strangers)], [], `${what}: images outside src/model/images.ts`);
  }
  // Not vacuous: a stray tag is caught.
  assert.equal(KNOWN.has(['grafana/grafana', '12.4.5'].join(':')), false);
});

test("the Dockerfile's base image and skaffold's Strimzi chart are the table's", () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const args = Object.fromEntries([...dockerfile.matchAll(/^ARG (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
  const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]!.replace(/\$\{(\w+)\}/g, (_x, name: string) => args[name] ?? `<${name}>`));
  assert.ok(froms.length >= 2);
  for (const from of froms) assert.equal(from, imageReference(THIRD_PARTY_IMAGES.node));

  const skaffold = parseYamlDocs(readFileSync(join(ROOT, 'skaffold.yaml'), 'utf8'));
  const releases = skaffold.flatMap((d) => d.deploy?.helm?.releases ?? []).filter((r: Obj) => r.remoteChart);
  assert.deepEqual(
    releases.map((r: Obj) => [r.remoteChart, r.version]),
    [[STRIMZI_CHART.reference, STRIMZI_CHART.version]],
  );
});

test("kind-config.yaml pins the table's node image, by digest", () => {
  const [config] = parseYamlDocs(readFileSync(join(ROOT, 'kind-config.yaml'), 'utf8'));
  const nodes = config!.nodes as Obj[];
  assert.ok(nodes.length > 0);
  for (const node of nodes) assert.equal(node.image, kindNodeImageReference());
});

// Repositories whose references a tracked file might spell out: ours from the
// table, and the usual suspects (an image added without the table shows up).
const REPOSITORIES = [
  ...new Set([
    ...Object.values(THIRD_PARTY_IMAGES).map((i) => i.repository),
    'jaegertracing/all-in-one',
    'otel/opentelemetry-collector',
    'otel/opentelemetry-collector-k8s',
    'otel-shop-test/[a-z-]+',
    'coredns/coredns',
    'quay\\.io/strimzi/[a-z-]+',
    'kindest/node',
    'registry\\.k8s\\.io/[a-z0-9/-]+',
    'bitnami/[a-z0-9-]+',
    'busybox',
    'alpine',
    'debian',
    'ubuntu',
  ]),
].map((r) => r.replaceAll('/', '\\/'));
const TAG = '(?:v?\\d[\\w.-]*|latest|lts[\\w.-]*|alpine[\\w.-]*|current[\\w.-]*|bookworm[\\w.-]*|trixie[\\w.-]*|slim[\\w.-]*)';
const REFERENCE = new RegExp(`(?<![\\w./@-])(?:docker\\.io\\/)?(?:library\\/)?(${REPOSITORIES.join('|')}):(${TAG})(?![\\w.-])`, 'g');
const NOT_SCANNED = /^(proof\/(bench|chaos)\/results\/|package-lock\.json$)/;

export function strayReferences(text: string): string[] {
  return [...text.matchAll(REFERENCE)].map((m) => `${m[1]}:${m[2]}`).filter((ref) => !KNOWN.has(ref));
}

test('no tracked file names an image tag the table does not hold', () => {
  const files = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && !NOT_SCANNED.test(f));
  const found: string[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(join(ROOT, f), 'utf8');
    } catch {
      continue; // deleted in the work tree
    }
    for (const ref of strayReferences(text)) found.push(`${f}: ${ref}`);
  }
  assert.deepEqual(found, []);
  // Not vacuous: the scan sees references in prose, YAML and shell alike (spelt in
  // pieces here, so that this file does not hold them).
  const [grafana, node, redis] = [
    ['grafana/grafana', '12.4.5'],
    ['node', '24-alpine'],
    ['redis', '7.2'],
  ].map((p) => p.join(':'));
  assert.deepEqual(strayReferences(`image: ${grafana}\nFROM ${node}\npodman pull docker.io/library/${redis}\n`), [grafana, node, redis]);
  assert.deepEqual(strayReferences("import 'node:test'; redis://redis:6379 postgres:18.6"), []);
});
