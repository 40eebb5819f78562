// Prometheus 3: scrapes every collector pod (found through the headless
// Service's DNS, so no API access), keeps exemplars (trace ids) for Grafana's
// metric-to-trace links, and a short retention on an emptyDir.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import { stringify } from 'yaml';
import { containerSecurityContext, httpProbe, podSecurityContext, resources, tmpVolume } from '../security.ts';
import { SIZES } from '../sizing.ts';
import { COLLECTOR, IMAGES, NS, PROMETHEUS, fqdn, labelsFor, selectorFor } from '../topology.ts';

export const PROMETHEUS_UID = 65534;

export function prometheusConfig(): Record<string, unknown> {
  return {
    global: { scrape_interval: '15s', evaluation_interval: '15s' },
    scrape_configs: [
      {
        job_name: 'otel-collector',
        // The exporter sets job/instance from service.name/service.instance.id: keep them.
        honor_labels: true,
        dns_sd_configs: [{ names: [fqdn(`${COLLECTOR.name}-metrics`, NS.observability)], type: 'A', port: COLLECTOR.prometheus }],
      },
    ],
  };
}

export class Prometheus extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const { name } = PROMETHEUS;
    const namespace = NS.observability;
    const labels = labelsFor(name, 'metrics');
    const selector = selectorFor(name);

    const config = new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: `${name}-config`, namespace, labels },
      data: { 'prometheus.yml': stringify(prometheusConfig(), { lineWidth: 0 }) },
    });

    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name, namespace, labels },
      spec: {
        replicas: 1,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: podSecurityContext(PROMETHEUS_UID),
            containers: [
              {
                name,
                image: IMAGES.prometheus,
                args: [
                  '--config.file=/etc/prometheus/prometheus.yml',
                  '--storage.tsdb.path=/prometheus',
                  `--storage.tsdb.retention.time=${PROMETHEUS.retention}`,
                  `--storage.tsdb.retention.size=${PROMETHEUS.retentionSize}`,
                  '--enable-feature=exemplar-storage',
                ],
                ports: [{ name: 'http', containerPort: PROMETHEUS.port, protocol: 'TCP' }],
                resources: resources(SIZES.prometheus),
                securityContext: containerSecurityContext(),
                livenessProbe: httpProbe('/-/healthy', 'http'),
                readinessProbe: httpProbe('/-/ready', 'http', { periodSeconds: 5 }),
                volumeMounts: [
                  { name: 'config', mountPath: '/etc/prometheus', readOnly: true },
                  { name: 'data', mountPath: '/prometheus' },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: config.name } },
              { name: 'data', emptyDir: { sizeLimit: k8s.Quantity.fromString(SIZES.prometheusStorage) } },
              tmpVolume(),
            ],
          },
        },
      },
    });

    new k8s.KubeService(this, 'service', {
      metadata: { name, namespace, labels },
      spec: { selector, ports: [{ name: 'http', port: PROMETHEUS.port, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }] },
    });
  }
}
