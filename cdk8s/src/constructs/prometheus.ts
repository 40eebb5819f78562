// Prometheus 3: scrapes every collector pod (found through the headless
// Service's DNS, so no API access), keeps exemplars (trace ids) for Grafana's
// metric-to-trace links, and a short retention on an emptyDir.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import { stringify } from 'yaml';
import { httpProbe, resources } from '../security.ts';
import { SIZES } from '../sizing.ts';
import { IMAGES } from '../images.ts';
import { COLLECTOR, NS, PROMETHEUS, fqdn, labelsFor, selectorFor } from '../topology.ts';
import { TMP_MOUNT, namedPortService, singletonDeployment } from './singleton.ts';

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

    const workload = { name, namespace, labels, selector };
    singletonDeployment(this, {
      ...workload,
      uid: PROMETHEUS_UID,
      container: {
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
        livenessProbe: httpProbe('/-/healthy', 'http'),
        readinessProbe: httpProbe('/-/ready', 'http', { periodSeconds: 5 }),
        volumeMounts: [{ name: 'config', mountPath: '/etc/prometheus', readOnly: true }, { name: 'data', mountPath: '/prometheus' }, TMP_MOUNT],
      },
      volumes: [
        { name: 'config', configMap: { name: config.name } },
        { name: 'data', emptyDir: { sizeLimit: k8s.Quantity.fromString(SIZES.prometheusStorage) } },
      ],
    });

    namedPortService(this, workload, [{ name: 'http', port: PROMETHEUS.port }]);
  }
}
