// One of our five Node services: Deployment, Service, ServiceAccount (no API
// token), ConfigMap, PodDisruptionBudget; and, in a chart of their own, the
// HPAs (autoscaling.enabled and the service's own switch). The environment is
// the one local mode gives each service (names and meaning per
// docs/internal-api.md), with Kubernetes addresses or the external ones of
// the values.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OTEL_DEFAULTS } from '@shop/contracts';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import { SECRETS } from '../model/credentials.ts';
import { containerSecurityContext, fieldEnv, httpProbe, resources, secretEnv, tmpVolume } from '../model/security.ts';
import { SIZES } from '../model/sizing.ts';
import { all, equals, isSet, not, type Gated } from '../model/knobs.ts';
import type { Settings } from '../model/settings.ts';
import { COLLECTOR, KAFKA, POSTGRES, REDIS, SERVICES, SERVICE_NAMES, labelsFor, selectorFor, type ServiceName } from '../model/topology.ts';

/** The numeric user of the image (the `node` user of the Node base image; see the Dockerfile). */
export const SERVICE_UID = 1000;
export const MIGRATE_COMMAND = 'node src/db/migrate.ts';

export interface MicroserviceProps {
  service: ServiceName;
  settings: Settings;
  /** services/<name>/package.json version, as SERVICE_VERSION. */
  version: string;
}

export function serviceUrl(s: Settings, service: ServiceName): string {
  return `http://${s.fqdn(service, 'shop')}:${SERVICES[service].port}`;
}

/** The address of our Kafka cluster's bootstrap Service (Strimzi names it <cluster>-kafka-bootstrap). */
export function kafkaBootstrap(s: Settings): string {
  return `${s.fqdn(`${KAFKA.cluster}-kafka-bootstrap`, 'kafka')}:${KAFKA.port}`;
}

/**
 * The environment a service gets from its dependencies, each in-cluster or
 * external (one variant or the other exists), and from the telemetry choice.
 */
function dependencyEnv(s: Settings, svc: ServiceName): Gated<k8s.EnvVar>[] {
  const { v, on } = s;
  const spec = SERVICES[svc];
  const env: Gated<k8s.EnvVar>[] = [];
  // The collector DaemonSet listens on every node's hostPort 4318.
  env.push({ value: { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: `http://$(NODE_IP):${COLLECTOR.otlpHttp}` }, when: on.observability });
  env.push({ value: { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: `${v.observability.external.otlpEndpoint}` }, when: on.externalOtlp });
  env.push({ value: { name: 'OTEL_SDK_DISABLED', value: 'true' }, when: on.telemetryOff });
  for (const peer of spec.calls) env.push({ value: { name: `${peer.toUpperCase()}_URL`, value: serviceUrl(s, peer) } });
  if (spec.redis) {
    const ext = v.redis.external;
    env.push({ value: secretEnv('REDIS_PASSWORD', ext.existingSecret.name.field, ext.existingSecret.key.field), when: on.redisPassword });
    env.push({ value: { name: 'REDIS_URL', value: `redis://${s.fqdn(REDIS.name, 'shop')}:${REDIS.port}` }, when: on.redis });
    env.push({
      value: { name: 'REDIS_URL', value: `redis://${ext.host}:${ext.port}` },
      when: all(not(on.redis), not(isSet('redis.external.existingSecret.name'))),
    });
    // The password is spliced in by Kubernetes ($(VAR) expansion): it must be URL-safe.
    env.push({ value: { name: 'REDIS_URL', value: `redis://:$(REDIS_PASSWORD)@${ext.host}:${ext.port}` }, when: on.redisPassword });
  }
  if (spec.kafka) {
    env.push({ value: { name: 'KAFKA_BROKERS', value: kafkaBootstrap(s) }, when: on.kafka });
    env.push({ value: { name: 'KAFKA_BROKERS', value: `${v.kafka.external.bootstrapServers}` }, when: not(on.kafka) });
  }
  if (spec.database) {
    const auth = v.postgresql.auth;
    env.push({ value: secretEnv('POSTGRES_PASSWORD', auth.existingSecret.name.field, auth.existingSecret.key.field) });
    const url = (host: string, port: unknown) => `postgres://${auth.user}:$(POSTGRES_PASSWORD)@${host}:${port}/${spec.database}`;
    env.push({ value: { name: 'DATABASE_URL', value: url(s.fqdn(POSTGRES.name, 'shop'), POSTGRES.port) }, when: on.postgres });
    env.push({ value: { name: 'DATABASE_URL', value: url(`${v.postgresql.external.host}`, v.postgresql.external.port) }, when: not(on.postgres) });
  }
  return env;
}

/** The pod security context of our services, from the values (the restricted profile's fixed parts stay fixed). */
function servicePodSecurity(s: Settings): k8s.PodSecurityContext {
  const p = s.v.podSecurityContext;
  const localhost = s.has(equals('podSecurityContext.seccompProfile.type', 'Localhost'));
  return {
    runAsNonRoot: true,
    runAsUser: p.runAsUser.field,
    runAsGroup: p.runAsGroup.field,
    fsGroup: p.fsGroup.field,
    fsGroupChangePolicy: p.fsGroupChangePolicy.field,
    seccompProfile: { type: p.seccompProfile.type.field, ...(localhost ? { localhostProfile: p.seccompProfile.localhostProfile.field } : {}) },
  };
}

/** The version in services/<name>/package.json. */
export function serviceVersion(root: string, service: ServiceName): string {
  const pkg = JSON.parse(readFileSync(join(root, 'services', service, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

export class Microservice extends Construct {
  readonly name: string;
  readonly deployment: k8s.KubeDeployment;
  readonly service: k8s.KubeService;

  constructor(scope: Construct, id: string, props: MicroserviceProps) {
    super(scope, id);
    const { service: svc, settings: s } = props;
    const knobs = s.v.services[svc];
    const spec = SERVICES[svc];
    const name = svc;
    this.name = name;
    const namespace = s.namespace('shop');
    const labels = { ...labelsFor(name, 'service'), 'app.kubernetes.io/version': props.version };
    const selector = selectorFor(name);
    const port = spec.port;

    // Plain settings live in a ConfigMap (its hash rolls the pods on change);
    // per-pod, secret and knob-driven values are in `env` below, so the hash
    // is the same in the plain manifests and in the chart.
    const config: Record<string, string> = {
      PORT: String(port),
      HOST: '0.0.0.0',
      OTEL_SERVICE_NAME: spec.otelName,
      ...OTEL_DEFAULTS,
      SERVICE_VERSION: props.version,
      LOG_LEVEL: 'info',
      // V8 sizes its heap from the host's memory, not the container's limit.
      NODE_OPTIONS: `--max-old-space-size=${SIZES.nodeMaxOldSpaceMb}`,
    };
    if (spec.database) config.MIGRATE_ON_START = 'false';
    const configMap = new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: `${name}-config`, namespace, labels },
      data: config,
    });
    const configHash = createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 16);

    const env = s.gate.list<k8s.EnvVar>([
      { value: fieldEnv('NODE_IP', 'status.hostIP') },
      { value: fieldEnv('POD_NAME', 'metadata.name') },
      { value: fieldEnv('POD_NAMESPACE', 'metadata.namespace') },
      { value: fieldEnv('POD_UID', 'metadata.uid') },
      { value: fieldEnv('NODE_NAME', 'spec.nodeName') },
      { value: { name: 'OTEL_TRACES_SAMPLER_ARG', value: `${s.v.telemetry.samplingRatio}` } },
      { value: { name: 'DEPLOYMENT_ENVIRONMENT', value: `${s.v.environment}` } },
      // Lets the collector's k8s_attributes match the pod by uid, not by IP.
      {
        value: {
          name: 'OTEL_RESOURCE_ATTRIBUTES',
          value: 'k8s.pod.name=$(POD_NAME),k8s.pod.uid=$(POD_UID),k8s.namespace.name=$(POD_NAMESPACE),k8s.node.name=$(NODE_NAME)',
        },
      },
      ...dependencyEnv(s, svc),
      ...(svc === 'gateway' ? [{ value: secretEnv('SHOP_API_KEY_HASHES', SECRETS.apiKeys.name, SECRETS.apiKeys.hashesKey) }] : []),
      // Last: a user's variable overrides ours (the last of a name wins).
      ...knobs.env.items().map((e) => ({ value: e })),
    ]);

    const envFrom: k8s.EnvFromSource[] = [{ configMapRef: { name: configMap.name } }];
    const volumeMounts: k8s.VolumeMount[] = [{ name: 'tmp', mountPath: '/tmp' }];
    const base = {
      image: s.image(svc).field,
      imagePullPolicy: s.v.image.pullPolicy.field,
      envFrom,
      env: env.values,
      resources: resources(knobs.resources),
      // The pod's seccomp profile (a knob) applies: no container-level one to override it.
      securityContext: { ...containerSecurityContext(), seccompProfile: undefined },
      volumeMounts,
    };

    // Migrations run before the app starts (MIGRATE_ON_START=false above).
    // The loop rides out PostgreSQL's first start instead of crash-looping.
    const initContainers: k8s.Container[] = spec.database
      ? [
          {
            name: 'migrate',
            ...base,
            command: [
              'sh',
              '-c',
              `for i in $(seq 1 60); do ${MIGRATE_COMMAND} && exit 0; echo "migrations: database not ready, retrying in 2s ($i/60)"; sleep 2; done; exit 1`,
            ],
          },
        ]
      : [];

    const container: k8s.Container = {
      name,
      ...base,
      ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
      // Slow first start on a busy node is not a dead process.
      startupProbe: httpProbe('/healthz', 'http', { periodSeconds: 2, failureThreshold: 45 }),
      livenessProbe: httpProbe('/healthz', 'http'),
      readinessProbe: httpProbe('/readyz', 'http', { periodSeconds: 5 }),
      // Endpoints are removed asynchronously: keep serving briefly after SIGTERM is due.
      lifecycle: { preStop: { sleep: { seconds: 3 } } },
    };

    const serviceAccount = new k8s.KubeServiceAccount(this, 'sa', {
      metadata: { name, namespace, labels },
      automountServiceAccountToken: false,
    });

    const autoscaled = s.on.autoscaler(svc);
    this.deployment = new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name, namespace, labels },
      spec: {
        // With an autoscaler the HPA owns the replica count: no field at all.
        replicas: s.has(not(autoscaled)) ? knobs.replicas.field : undefined,
        revisionHistoryLimit: 3,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
        template: {
          metadata: { labels, annotations: { 'otel-shop.dev/config-hash': configHash } },
          spec: {
            serviceAccountName: serviceAccount.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: servicePodSecurity(s),
            terminationGracePeriodSeconds: 30,
            initContainers,
            containers: [container],
            volumes: [tmpVolume()],
          },
        },
      },
    });
    s.gate.mark(this.deployment, '/spec/replicas', not(autoscaled));
    s.gate.mark(
      this.deployment,
      '/spec/template/spec/securityContext/seccompProfile/localhostProfile',
      equals('podSecurityContext.seccompProfile.type', 'Localhost'),
    );
    env.mark(this.deployment, '/spec/template/spec/containers/0/env');
    if (initContainers.length) env.mark(this.deployment, '/spec/template/spec/initContainers/0/env');

    this.service = new k8s.KubeService(this, 'service', {
      metadata: { name, namespace, labels },
      spec: {
        selector,
        ports: [{ name: 'http', port, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }],
      },
    });

    new k8s.KubePodDisruptionBudget(this, 'pdb', {
      metadata: { name, namespace, labels },
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    });
  }
}

/** The CPU autoscaler of each service that has one on (autoscaling.enabled and services.<s>.autoscaling.enabled). */
export class Autoscalers extends Construct {
  constructor(scope: Construct, id: string, props: { settings: Settings }) {
    super(scope, id);
    const s = props.settings;
    for (const name of SERVICE_NAMES) {
      const knobs = s.v.services[name].autoscaling;
      s.gate.when(
        s.on.autoscaler(name),
        () =>
          new k8s.KubeHorizontalPodAutoscalerV2(this, name, {
            metadata: { name, namespace: s.namespace('shop'), labels: labelsFor(name, 'service') },
            spec: {
              scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
              minReplicas: knobs.minReplicas.field,
              maxReplicas: knobs.maxReplicas.field,
              metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: knobs.targetCPUUtilization.field } } }],
            },
          }),
      );
    }
  }
}
