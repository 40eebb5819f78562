// Jaeger v2 (2.13): OTLP/gRPC in from the collector, in-memory storage
// capped at a fixed number of traces (memory is bounded by the limit, traces
// are lost on restart: it is a dev stack), the query UI/API on 16686.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import { stringify } from 'yaml';
import { fieldEnv, httpProbe, resources } from '../model/security.ts';
import { Settings } from '../model/settings.ts';
import { IMAGES } from '../model/images.ts';
import { JAEGER, labelsFor, selectorFor } from '../model/topology.ts';
import { TMP_MOUNT, namedPortService, singletonDeployment } from './singleton.ts';

export const JAEGER_UID = 10001;

export function jaegerConfig(s: Settings = new Settings('plain')): Record<string, unknown> {
  return {
    service: {
      extensions: ['jaeger_storage', 'jaeger_query', 'healthcheckv2'],
      pipelines: {
        traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] },
      },
      telemetry: { resource: { 'service.name': 'jaeger' }, logs: { level: 'info' }, metrics: { level: 'none' } },
    },
    extensions: {
      jaeger_storage: { backends: { memstore: { memory: { max_traces: s.v.observability.jaeger.maxTraces.field } } } },
      jaeger_query: {
        storage: { traces: 'memstore' },
        // Its own spans would go to localhost:4317, i.e. into itself.
        enable_tracing: false,
        // All interfaces: a port-forward (kubectl's, skaffold's, shopctl's)
        // reaches the pod through its runtime, which dials localhost inside
        // the pod. Who else may connect is the NetworkPolicies' business.
        http: { endpoint: `0.0.0.0:${JAEGER.query}` },
        grpc: { endpoint: `0.0.0.0:${JAEGER.queryGrpc}` },
      },
      healthcheckv2: { use_v2: true, http: { endpoint: `\${env:POD_IP}:${JAEGER.health}` } },
    },
    receivers: { otlp: { protocols: { grpc: { endpoint: `\${env:POD_IP}:${JAEGER.otlpGrpc}` } } } },
    processors: { batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: 'memstore' } },
  };
}

export class Jaeger extends Construct {
  constructor(scope: Construct, id: string, props: { settings: Settings }) {
    super(scope, id);
    const s = props.settings;
    const { name } = JAEGER;
    const namespace = s.namespace('observability');
    const labels = labelsFor(name, 'tracing');
    const selector = selectorFor(name);

    const config = new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: `${name}-config`, namespace, labels },
      data: { 'config.yaml': stringify(jaegerConfig(s), { lineWidth: 0 }) },
    });

    const workload = { name, namespace, labels, selector };
    singletonDeployment(this, {
      ...workload,
      uid: JAEGER_UID,
      container: {
        image: IMAGES.jaeger,
        args: ['--config=/etc/jaeger/config.yaml'],
        env: [fieldEnv('POD_IP', 'status.podIP'), { name: 'GOMEMLIMIT', value: `${s.goMemLimit('jaeger')}` }],
        ports: [
          { name: 'otlp-grpc', containerPort: JAEGER.otlpGrpc, protocol: 'TCP' },
          { name: 'query', containerPort: JAEGER.query, protocol: 'TCP' },
          { name: 'health', containerPort: JAEGER.health, protocol: 'TCP' },
        ],
        resources: resources(s.v.observability.jaeger.resources),
        livenessProbe: httpProbe('/status', 'health'),
        readinessProbe: httpProbe('/status', 'health', { periodSeconds: 5 }),
        volumeMounts: [{ name: 'config', mountPath: '/etc/jaeger', readOnly: true }, TMP_MOUNT],
      },
      volumes: [{ name: 'config', configMap: { name: config.name } }],
    });

    namedPortService(this, workload, [
      { name: 'otlp-grpc', port: JAEGER.otlpGrpc, appProtocol: 'grpc' },
      { name: 'query', port: JAEGER.query },
    ]);
  }
}
