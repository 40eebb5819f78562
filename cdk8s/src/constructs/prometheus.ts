// Prometheus 3: scrapes every collector pod (found through the headless
// Service's DNS, so no API access), keeps exemplars (trace ids) for Grafana's
// metric-to-trace links, and a short retention on an emptyDir.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import { stringify } from 'yaml';
import { httpProbe, quantity, resources } from '../model/security.ts';
import { Settings } from '../model/settings.ts';
import { IMAGES } from '../model/images.ts';
import { COLLECTOR, PROMETHEUS, labelsFor, selectorFor } from '../model/topology.ts';
import { TMP_MOUNT, namedPortService, singletonDeployment } from './singleton.ts';

export const PROMETHEUS_UID = 65534;

export function prometheusConfig(s: Settings = new Settings('plain')): Record<string, unknown> {
  return {
    global: { scrape_interval: '15s', evaluation_interval: '15s' },
    scrape_configs: [
      {
        job_name: 'otel-collector',
        // The exporter sets job/instance from service.name/service.instance.id: keep them.
        honor_labels: true,
        dns_sd_configs: [{ names: [s.fqdn(`${COLLECTOR.name}-metrics`, 'observability')], type: 'A', port: COLLECTOR.prometheus }],
      },
    ],
  };
}

export class Prometheus extends Construct {
  constructor(scope: Construct, id: string, props: { settings: Settings }) {
    super(scope, id);
    const s = props.settings;
    const v = s.v.observability.prometheus;
    const { name } = PROMETHEUS;
    const namespace = s.namespace('observability');
    const labels = labelsFor(name, 'metrics');
    const selector = selectorFor(name);

    const config = new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: `${name}-config`, namespace, labels },
      data: { 'prometheus.yml': stringify(prometheusConfig(s), { lineWidth: 0 }) },
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
          `--storage.tsdb.retention.time=${v.retention.time}`,
          `--storage.tsdb.retention.size=${v.retention.size}`,
          '--enable-feature=exemplar-storage',
        ],
        ports: [{ name: 'http', containerPort: PROMETHEUS.port, protocol: 'TCP' }],
        resources: resources(v.resources),
        livenessProbe: httpProbe('/-/healthy', 'http'),
        readinessProbe: httpProbe('/-/ready', 'http', { periodSeconds: 5 }),
        volumeMounts: [{ name: 'config', mountPath: '/etc/prometheus', readOnly: true }, { name: 'data', mountPath: '/prometheus' }, TMP_MOUNT],
      },
      volumes: [
        { name: 'config', configMap: { name: config.name } },
        { name: 'data', emptyDir: { sizeLimit: quantity(v.storage.size) } },
      ],
    });

    namedPortService(this, workload, [{ name: 'http', port: PROMETHEUS.port }]);
  }
}
