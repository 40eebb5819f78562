// Prometheus 3: scrapes every collector pod (found through the headless
// Service's DNS, so no API access), keeps exemplars (trace ids) for Grafana's
// metric-to-trace links, and a short retention on an emptyDir. It evaluates
// the SLO rules (src/slo/: recording rules and burn-rate alerts, from the
// objectives in @shop/contracts) and, while Alertmanager is deployed, sends
// it the alerts.
import { Construct, type IConstruct } from 'constructs';
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-34';
import { OBJECTIVES, type Objective } from '@shop/contracts';
import { stringify } from 'yaml';
import { all, not, type Cond } from '../model/knobs.ts';
import { httpProbe, quantity, resources } from '../model/security.ts';
import { Settings } from '../model/settings.ts';
import { IMAGES } from '../model/images.ts';
import { ALERTMANAGER, COLLECTOR, PROMETHEUS, PART_OF, labelsFor, selectorFor } from '../model/topology.ts';
import { ruleFile, sloRuleGroups } from '../slo/rules.ts';
import { TMP_MOUNT, namedPortService, singletonDeployment } from './singleton.ts';

export const PROMETHEUS_UID = 65534;
const RULES_DIR = '/etc/prometheus/rules';
export const SLO_RULES_FILE = 'slo.rules.yml';

export function prometheusConfig(s: Settings = new Settings('plain'), alertmanager = true): Record<string, unknown> {
  return {
    global: { scrape_interval: '15s', evaluation_interval: '15s' },
    rule_files: [`${RULES_DIR}/*.yml`],
    ...(alertmanager
      ? {
          alerting: {
            alertmanagers: [{ api_version: 'v2', static_configs: [{ targets: [`${s.fqdn(ALERTMANAGER.name, 'observability')}:${ALERTMANAGER.port}`] }] }],
          },
        }
      : {}),
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

/** The objectives a stack can measure: notification freshness needs the notification service. */
export function objectivesFor(notification: boolean): Objective[] {
  return OBJECTIVES.filter((o) => notification || o.histogram.service !== 'notification');
}

/** One object per presence of the notification service (Helm: each guarded), built by `build`. */
export function perNotification(s: Settings, when: Cond, build: (notification: boolean, idSuffix: string) => IConstruct): void {
  for (const notification of [true, false]) {
    const on = notification ? s.on.service('notification') : not(s.on.service('notification'));
    s.gate.when(all(when, on), () => build(notification, notification ? '' : '-without-notification'));
  }
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

    const configName = `${name}-config`;
    // With Alertmanager or without: one of two ConfigMaps of the same name.
    s.gate.variants(
      s.on.alertmanager,
      (alertmanager) =>
        new k8s.KubeConfigMap(this, alertmanager ? 'config' : 'config-without-alertmanager', {
          metadata: { name: configName, namespace, labels },
          data: { 'prometheus.yml': stringify(prometheusConfig(s, alertmanager), { lineWidth: 0 }) },
        }),
    );
    const rulesName = `${name}-rules`;
    perNotification(
      s,
      s.on.observability,
      (notification, suffix) =>
        new k8s.KubeConfigMap(this, `rules${suffix}`, {
          metadata: { name: rulesName, namespace, labels },
          data: { [SLO_RULES_FILE]: ruleFile(sloRuleGroups(objectivesFor(notification))) },
        }),
    );

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
        volumeMounts: [
          { name: 'config', mountPath: '/etc/prometheus', readOnly: true },
          { name: 'rules', mountPath: RULES_DIR, readOnly: true },
          { name: 'data', mountPath: '/prometheus' },
          TMP_MOUNT,
        ],
      },
      volumes: [
        { name: 'config', configMap: { name: configName } },
        { name: 'rules', configMap: { name: rulesName } },
        { name: 'data', emptyDir: { sizeLimit: quantity(v.storage.size) } },
      ],
    });

    namedPortService(this, workload, [{ name: 'http', port: PROMETHEUS.port }]);
  }
}

/**
 * The same rules as a Prometheus Operator PrometheusRule (slo.prometheusRule),
 * in the shop namespace, for a cluster whose Prometheus the operator runs.
 */
export class SloPrometheusRule extends Construct {
  constructor(scope: Construct, id: string, props: { settings: Settings }) {
    super(scope, id);
    const s = props.settings;
    const releaseLabel = s.values.slo.prometheusRule.releaseLabel;
    perNotification(s, s.on.prometheusRule, (notification, suffix) => {
      const rule = new ApiObject(this, `rule${suffix}`, {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: {
          name: 'otel-shop-slos',
          namespace: s.namespace('shop'),
          labels: {
            ...labelsFor('otel-shop-slos', 'slo'),
            'app.kubernetes.io/part-of': PART_OF,
            ...(s.mode === 'helm' || releaseLabel ? { release: `${s.v.slo.prometheusRule.releaseLabel}` } : {}),
          },
        },
        spec: { groups: sloRuleGroups(objectivesFor(notification)) },
      });
      s.gate.mark(rule, '/metadata/labels/release', { set: 'slo.prometheusRule.releaseLabel' });
      return rule;
    });
  }
}
