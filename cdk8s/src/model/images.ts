// Every third-party image (and chart) the project references, in one table,
// each tag with the evidence that it exists. Manifests, the chart, the
// Dockerfile, skaffold.yaml, scripts and docs may name an image only as it
// stands here: images.test.ts scans them all. `make image-evidence` checks
// the evidence that a registry this machine reaches can answer (npm, the Go
// module proxy, Maven Central); the rest is a release listing, with its date.
//
// Docker Hub and quay.io cannot be asked from here, so a tag is shown to exist
// by the release it packages: the upstream project publishes the image from
// the same release as the package named in the evidence.

export type Evidence =
  | { kind: 'npm'; name: string; version: string }
  | { kind: 'go'; module: string; version: string }
  | { kind: 'maven'; coordinates: string }
  | { kind: 'listing'; where: string; seen: string };

export interface ImageEntry {
  /** What the image is for us. */
  role: string;
  repository: string;
  tag: string;
  evidence: Evidence[];
}

const image = (role: string, repository: string, tag: string, ...evidence: Evidence[]): ImageEntry => ({ role, repository, tag, evidence });

const OFFICIAL_IMAGES = (library: string, tags: string): Evidence => ({
  kind: 'listing',
  where: `docker-library/official-images library/${library} (Tags: ${tags})`,
  seen: '2026-08-21',
});

export const THIRD_PARTY_IMAGES = {
  node: image(
    'base of the five service images (Dockerfile)',
    'node',
    '24.21.0-alpine',
    { kind: 'npm', name: 'node', version: '24.21.0' },
    // The official image publishes <version>-alpine for every Node release.
    OFFICIAL_IMAGES('node', '24.19.0-alpine, the same line two releases earlier'),
  ),
  postgres: image('PostgreSQL (shop namespace)', 'postgres', '18.6', OFFICIAL_IMAGES('postgres', '18.6, 18, latest')),
  redis: image('Redis (shop namespace)', 'redis', '8.8.2-alpine', OFFICIAL_IMAGES('redis', '8.8.2-alpine, 8.8-alpine')),
  // Held at 0.159.0: the tier builds what it runs, and the Go module proxy serves no kafkametricsreceiver of 0.164/0.165 (docs/kubernetes.md).
  collector: image('OpenTelemetry Collector, contrib distribution (DaemonSet)', 'otel/opentelemetry-collector-contrib', '0.159.0', {
    kind: 'go',
    module: 'github.com/open-telemetry/opentelemetry-collector-contrib/exporter/prometheusexporter',
    version: 'v0.159.0',
  }),
  // Held at 2.13.0: the newest release the Go module proxy serves (v1.77.0 and later: "not available"; docs/kubernetes.md).
  jaeger: image('Jaeger v2', 'jaegertracing/jaeger', '2.13.0', { kind: 'go', module: 'github.com/jaegertracing/jaeger', version: 'v1.76.0' }),
  prometheus: image('Prometheus 3', 'prom/prometheus', 'v3.16.0', { kind: 'go', module: 'github.com/prometheus/prometheus', version: 'v0.316.0' }),
  alertmanager: image('Alertmanager (the SLO alerts to webhooks)', 'prom/alertmanager', 'v0.35.0', {
    kind: 'go',
    module: 'github.com/prometheus/alertmanager',
    version: 'v0.35.0',
  }),
  // flagd's Dockerfile (flagd/build.Dockerfile of the module) publishes /flagd-build as user 65532.
  flagd: image('flagd, the fault flags (shop namespace)', 'ghcr.io/open-feature/flagd', 'v0.16.0', {
    kind: 'go',
    module: 'github.com/open-feature/flagd/flagd',
    version: 'v0.16.0',
  }),
  // The image Apache Kafka publishes from each release (its docker/jvm
  // Dockerfile): the distribution under /opt/kafka, user appuser (1000).
  kafka: image('Apache Kafka, run by the chart itself (kafka.operator=none)', 'apache/kafka', '4.3.1', {
    kind: 'maven',
    coordinates: 'org.apache.kafka:kafka_2.13:4.3.1',
  }),
  // 12.4.5 has no release of Grafana's npm packages (12.4.4 and 12.4.6 do): the
  // newest 12.4 patch that does.
  grafana: image('Grafana 12', 'grafana/grafana', '12.4.10', { kind: 'npm', name: '@grafana/data', version: '12.4.10' }),
} as const satisfies Record<string, ImageEntry>;

export type ThirdPartyImage = keyof typeof THIRD_PARTY_IMAGES;

/** The Strimzi operator's chart (skaffold's strimzi config, the Helm path in the docs). */
export const STRIMZI_CHART = {
  reference: 'oci://quay.io/strimzi-helm/strimzi-kafka-operator',
  version: '1.2.0',
  evidence: [{ kind: 'maven', coordinates: 'io.strimzi:api:1.2.0' }] as Evidence[],
} as const;

/**
 * The node image of `make cluster` (kind-config.yaml): the one kind v0.33.0
 * was released with (its pkg/apis/config/defaults/image.go), pinned by digest
 * as kind advises, so that a laptop runs the Kubernetes minor the cluster tier
 * tests (1.37).
 */
export const KIND_NODE_IMAGE = {
  repository: 'kindest/node',
  tag: 'v1.37.0',
  digest: 'sha256:a1ed56cfb0e7b93589bdf97c8cd566405a265939e3620fc4f5de89adff580ae5',
  kindVersion: '0.33.0',
  evidence: [{ kind: 'go', module: 'sigs.k8s.io/kind', version: 'v0.33.0' }] as Evidence[],
} as const;
export const kindNodeImageReference = (): string => `${KIND_NODE_IMAGE.repository}:${KIND_NODE_IMAGE.tag}@${KIND_NODE_IMAGE.digest}`;

/**
 * Images that exist only on the test machine: the real node of `make
 * test-cluster` runs them, built there from the registries
 * (scripts/cluster/stand-ins.sh; docs/stand-ins.md). Users never get them: the
 * chart's images stay the table's above, and the node builds stand-ins under
 * those same names.
 */
export const TEST_ONLY_IMAGES = {
  pause: { role: "the pod sandbox (Kubernetes' pause, compiled from its source)", reference: 'registry.k8s.io/pause:3.10.1' },
  coredns: { role: 'cluster DNS of the test node (kind ships its own)', reference: 'otel-shop-test/coredns:1.15.0' },
  debian: { role: 'base of the stand-ins that need a userland', reference: 'otel-shop-test/debian:bookworm' },
} as const satisfies Record<string, { role: string; reference: string }>;

export function imageReference(entry: ImageEntry): string {
  return `${entry.repository}:${entry.tag}`;
}

/** Image references by role key, for the constructs. */
export const IMAGES = Object.fromEntries(Object.entries(THIRD_PARTY_IMAGES).map(([k, v]) => [k, imageReference(v)])) as Record<ThirdPartyImage, string>;

/**
 * A reference as the kubelet resolves it: a short name of the manifests
 * (postgres:18.6) is Docker Hub's (docker.io/library/postgres:18.6).
 */
export function fullyQualified(ref: string): string {
  const [first, ...rest] = ref.split('/');
  if (rest.length && (first!.includes('.') || first!.includes(':') || first === 'localhost')) return ref;
  return rest.length ? `docker.io/${ref}` : `docker.io/library/${ref}`;
}

/** Every image (third-party by role key, test-only as test-<key>), fully qualified: the names the shell scripts build or load. */
export function imageNames(): [string, string][] {
  return [
    ...Object.entries(IMAGES).map(([key, ref]): [string, string] => [key, fullyQualified(ref)]),
    ...Object.entries(TEST_ONLY_IMAGES).map(([key, image]): [string, string] => [`test-${key}`, fullyQualified(image.reference)]),
  ];
}
