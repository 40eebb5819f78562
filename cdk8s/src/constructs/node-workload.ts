// One of our Node processes in the cluster, a service or the storefront:
// Deployment, Service, ServiceAccount (no API token), ConfigMap and
// PodDisruptionBudget, hardened alike. What differs between them (their
// dependencies' environment, secrets, a migration step, an autoscaler) is
// given by the construct that uses this one.
import { createHash } from 'node:crypto';
import { OTEL_DEFAULTS } from '@shop/contracts';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import type { Resources } from '../model/sizing.ts';
import { SIZES } from '../model/sizing.ts';
import { containerSecurityContext, fieldEnv, httpProbe, resources, tmpVolume } from '../model/security.ts';
import { equals, not, type Cond, type EnvKnob, type Gated, type Knob, type Knobs } from '../model/knobs.ts';
import type { Settings } from '../model/settings.ts';
import { labelsFor, selectorFor } from '../model/topology.ts';

/** The numeric user of the image (the `node` user of the Node base image; see the Dockerfile). */
export const SERVICE_UID = 1000;

/** The values every Node workload has (services.<name>, storefront). */
export interface NodeWorkloadKnobs {
  replicas: Knob<number>;
  resources: Knobs<Resources>;
  env: EnvKnob;
}

export interface NodeWorkloadProps {
  settings: Settings;
  name: string;
  /** app.kubernetes.io/component. */
  component: string;
  port: number;
  otelName: string;
  /** services/<name>/package.json version, as SERVICE_VERSION. */
  version: string;
  image: Knob<string>;
  knobs: NodeWorkloadKnobs;
  /** Plain settings beside the common ones (the ConfigMap). */
  config?: Record<string, string>;
  /** Environment beside the common one (dependencies, secrets, knob-driven values), before the user's own. */
  env: Gated<k8s.EnvVar>[];
  /** Init containers, made from the main container's image, env and mounts. */
  initContainers?: (base: k8s.Container) => k8s.Container[];
  /** When an autoscaler owns the replica count (no replicas field then). */
  autoscaled?: Cond;
}

/** Where a workload sends its telemetry: the collector on its node, an external endpoint, or nowhere. */
export function telemetryEnv(s: Settings): Gated<k8s.EnvVar>[] {
  const { v, on } = s;
  return [
    // The collector DaemonSet listens on every node's hostPort (4318 unless another release has it).
    { value: { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: `http://$(NODE_IP):${v.observability.collector.hostPorts.otlpHttp}` }, when: on.observability },
    { value: { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: `${v.observability.external.otlpEndpoint}` }, when: on.externalOtlp },
    { value: { name: 'OTEL_SDK_DISABLED', value: 'true' }, when: on.telemetryOff },
  ];
}

/** The pod security context of our workloads, from the values (the restricted profile's fixed parts stay fixed). */
function podSecurity(s: Settings): k8s.PodSecurityContext {
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

export class NodeWorkload extends Construct {
  readonly name: string;
  readonly deployment: k8s.KubeDeployment;
  readonly service: k8s.KubeService;

  constructor(scope: Construct, id: string, props: NodeWorkloadProps) {
    super(scope, id);
    const { settings: s, name, port, knobs } = props;
    this.name = name;
    const namespace = s.namespace('shop');
    const labels = { ...labelsFor(name, props.component), 'app.kubernetes.io/version': props.version };
    const selector = selectorFor(name);

    // Plain settings live in a ConfigMap (its hash rolls the pods on change);
    // per-pod, secret and knob-driven values are in `env` below, so the hash
    // is the same in the plain manifests and in the chart.
    const config: Record<string, string> = {
      PORT: String(port),
      HOST: '0.0.0.0',
      OTEL_SERVICE_NAME: props.otelName,
      ...OTEL_DEFAULTS,
      SERVICE_VERSION: props.version,
      LOG_LEVEL: 'info',
      // V8 sizes its heap from the host's memory, not the container's limit.
      NODE_OPTIONS: `--max-old-space-size=${SIZES.nodeMaxOldSpaceMb}`,
      ...props.config,
    };
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
      // Lets the collector's k8s_attributes match the pod by uid (the only
      // way it matches: otel-collector.ts).
      {
        value: {
          name: 'OTEL_RESOURCE_ATTRIBUTES',
          value: 'k8s.pod.name=$(POD_NAME),k8s.pod.uid=$(POD_UID),k8s.namespace.name=$(POD_NAMESPACE),k8s.node.name=$(NODE_NAME)',
        },
      },
      ...telemetryEnv(s),
      ...props.env,
      // Last: a user's variable overrides ours (the last of a name wins).
      ...knobs.env.items().map((e) => ({ value: e })),
    ]);

    const base: k8s.Container = {
      name,
      image: props.image.field,
      imagePullPolicy: s.v.image.pullPolicy.field,
      envFrom: [{ configMapRef: { name: configMap.name } }],
      env: env.values,
      resources: resources(knobs.resources),
      // The pod's seccomp profile (a knob) applies: no container-level one to override it.
      securityContext: { ...containerSecurityContext(), seccompProfile: undefined },
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    };
    const initContainers = props.initContainers?.(base) ?? [];

    const container: k8s.Container = {
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

    const autoscaled = props.autoscaled;
    this.deployment = new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name, namespace, labels },
      spec: {
        // With an autoscaler the HPA owns the replica count: no field at all.
        replicas: autoscaled && !s.has(not(autoscaled)) ? undefined : knobs.replicas.field,
        revisionHistoryLimit: 3,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
        template: {
          metadata: { labels, annotations: { 'otel-shop.dev/config-hash': configHash } },
          spec: {
            serviceAccountName: serviceAccount.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: podSecurity(s),
            terminationGracePeriodSeconds: 30,
            initContainers,
            containers: [container],
            volumes: [tmpVolume()],
          },
        },
      },
    });
    if (autoscaled) s.gate.mark(this.deployment, '/spec/replicas', not(autoscaled));
    s.gate.mark(
      this.deployment,
      '/spec/template/spec/securityContext/seccompProfile/localhostProfile',
      equals('podSecurityContext.seccompProfile.type', 'Localhost'),
    );
    env.mark(this.deployment, '/spec/template/spec/containers/0/env');
    initContainers.forEach((_, i) => {
      env.mark(this.deployment, `/spec/template/spec/initContainers/${i}/env`);
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
