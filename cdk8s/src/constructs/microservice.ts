// One of our five Node services: Deployment, Service, ServiceAccount (no API
// token), ConfigMap, PodDisruptionBudget; and, in a chart of their own (on
// with autoscaling.enabled), the HPAs of the request-driven ones. The environment is the one scripts/local.sh gives each service
// (names and meaning per docs/internal-api.md), with Kubernetes addresses.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import { SECRETS } from '../credentials.ts';
import {
  containerSecurityContext,
  fieldEnv,
  httpProbe,
  podSecurityContext,
  resources,
  secretEnv,
  tmpVolume,
} from '../security.ts';
import { SIZES } from '../sizing.ts';
import {
  COLLECTOR,
  KAFKA_BOOTSTRAP,
  NS,
  POSTGRES,
  REDIS,
  SERVICES,
  SERVICE_NAMES,
  fqdn,
  labelsFor,
  selectorFor,
  serviceImageName,
  type ServiceName,
} from '../topology.ts';
import { deploymentReplicas, imageRef, numberText, type Values } from '../values.ts';

/** The numeric user of the image (the `node` user of the Node base image; see the Dockerfile). */
export const SERVICE_UID = 1000;
export const MIGRATE_COMMAND = 'node src/db/migrate.ts';

export interface MicroserviceProps {
  service: ServiceName;
  values: Values;
  /** services/<name>/package.json version, as SERVICE_VERSION. */
  version: string;
}

export function serviceUrl(service: ServiceName): string {
  return `http://${fqdn(service, NS.shop)}:${SERVICES[service].port}`;
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
    const { service: svc, values } = props;
    const spec = SERVICES[svc];
    const name = svc;
    this.name = name;
    const namespace = NS.shop;
    const labels = { ...labelsFor(name, 'service'), 'app.kubernetes.io/version': props.version };
    const selector = selectorFor(name);
    const port = spec.port;

    // Plain settings live in a ConfigMap (its hash rolls the pods on change);
    // per-pod, secret and knob-driven values are in `env` below.
    const config: Record<string, string> = {
      PORT: String(port),
      HOST: '0.0.0.0',
      OTEL_SERVICE_NAME: spec.otelName,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_METRIC_EXPORT_INTERVAL: '5000',
      OTEL_BSP_SCHEDULE_DELAY: '500',
      SERVICE_VERSION: props.version,
      LOG_LEVEL: 'info',
      // V8 sizes its heap from the host's memory, not the container's limit.
      NODE_OPTIONS: `--max-old-space-size=${SIZES.nodeMaxOldSpaceMb}`,
    };
    if (spec.database) config.MIGRATE_ON_START = 'false';
    if (spec.redis) config.REDIS_URL = `redis://${fqdn(REDIS.name, NS.shop)}:${REDIS.port}`;
    if (spec.kafka) config.KAFKA_BROKERS = KAFKA_BOOTSTRAP;
    for (const peer of spec.calls) config[`${peer.toUpperCase()}_URL`] = serviceUrl(peer);
    const configMap = new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: `${name}-config`, namespace, labels },
      data: config,
    });
    const configHash = createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 16);

    const env: k8s.EnvVar[] = [
      fieldEnv('NODE_IP', 'status.hostIP'),
      fieldEnv('POD_NAME', 'metadata.name'),
      fieldEnv('POD_NAMESPACE', 'metadata.namespace'),
      fieldEnv('POD_UID', 'metadata.uid'),
      fieldEnv('NODE_NAME', 'spec.nodeName'),
      // The collector DaemonSet listens on every node's hostPort 4318.
      { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: `http://$(NODE_IP):${COLLECTOR.otlpHttp}` },
      { name: 'OTEL_TRACES_SAMPLER_ARG', value: numberText(values.telemetry.samplingRatio) },
      { name: 'DEPLOYMENT_ENVIRONMENT', value: values.environment },
      // Lets the collector's k8s_attributes match the pod by uid, not by IP.
      {
        name: 'OTEL_RESOURCE_ATTRIBUTES',
        value: 'k8s.pod.name=$(POD_NAME),k8s.pod.uid=$(POD_UID),k8s.namespace.name=$(POD_NAMESPACE),k8s.node.name=$(NODE_NAME)',
      },
    ];
    if (spec.database) {
      env.push(secretEnv('POSTGRES_PASSWORD', SECRETS.postgres.name, SECRETS.postgres.passwordKey));
      env.push({
        name: 'DATABASE_URL',
        value: `postgres://${POSTGRES.user}:$(POSTGRES_PASSWORD)@${fqdn(POSTGRES.name, NS.shop)}:${POSTGRES.port}/${spec.database}`,
      });
    }
    if (svc === 'gateway') env.push(secretEnv('SHOP_API_KEY_HASHES', SECRETS.apiKeys.name, SECRETS.apiKeys.hashesKey));

    const image = imageRef(values, svc, serviceImageName(svc));
    const envFrom: k8s.EnvFromSource[] = [{ configMapRef: { name: configMap.name } }];
    const volumeMounts: k8s.VolumeMount[] = [{ name: 'tmp', mountPath: '/tmp' }];
    const base = {
      image,
      imagePullPolicy: values.image.pullPolicy,
      envFrom,
      env,
      resources: resources(SIZES.service),
      securityContext: containerSecurityContext(),
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

    this.deployment = new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name, namespace, labels },
      spec: {
        // With an autoscaler the HPA owns the replica count (min = values.replicas).
        replicas: deploymentReplicas(values, svc, spec.autoscale),
        revisionHistoryLimit: 3,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
        template: {
          metadata: { labels, annotations: { 'otel-shop.dev/config-hash': configHash } },
          spec: {
            serviceAccountName: serviceAccount.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: podSecurityContext(SERVICE_UID),
            terminationGracePeriodSeconds: 30,
            initContainers,
            containers: [container],
            volumes: [tmpVolume()],
          },
        },
      },
    });

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

/** The CPU autoscalers of the services that have one (SERVICES[s].autoscale). */
export class Autoscalers extends Construct {
  constructor(scope: Construct, id: string, props: { values: Values }) {
    super(scope, id);
    const { values } = props;
    for (const name of SERVICE_NAMES.filter((s) => SERVICES[s].autoscale)) {
      new k8s.KubeHorizontalPodAutoscalerV2(this, name, {
        metadata: { name, namespace: NS.shop, labels: labelsFor(name, 'service') },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
          minReplicas: values.replicas[name],
          maxReplicas: values.maxReplicas[name],
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 75 } } }],
        },
      });
    }
  }
}
