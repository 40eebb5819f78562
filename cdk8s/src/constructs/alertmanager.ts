// Alertmanager: receives the SLO alerts from Prometheus and routes each
// severity (page, ticket) to its webhook receiver (alertmanager.receivers:
// a URL a user points anywhere, empty for none). One replica without
// clustering (no gossip port), its silences and notification log on an
// emptyDir; hardened like every workload. The configuration is a Secret (a
// webhook URL may carry a token), one of four of the same name: which
// severities have a receiver.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import { stringify } from 'yaml';
import { all, not } from '../model/knobs.ts';
import { httpProbe, resources } from '../model/security.ts';
import { Settings } from '../model/settings.ts';
import { IMAGES } from '../model/images.ts';
import { ALERTMANAGER, labelsFor, selectorFor } from '../model/topology.ts';
import { SEVERITIES, type Severity } from '../slo/rules.ts';
import { TMP_MOUNT, namedPortService, singletonDeployment } from './singleton.ts';

export const ALERTMANAGER_UID = 65534;
const CONFIG_DIR = '/etc/alertmanager';

/** The configuration, for the severities that have a webhook (their URLs from the values). */
export function alertmanagerConfig(s: Settings = new Settings('plain'), withWebhook: Severity[] = []): Record<string, unknown> {
  return {
    route: {
      // Anything without a severity of ours goes nowhere.
      receiver: 'null',
      group_by: ['alertname', 'slo'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: SEVERITIES.map((severity) => ({
        matchers: [`severity="${severity}"`],
        receiver: severity,
        // A page repeats hourly while it fires; a ticket daily.
        repeat_interval: severity === 'page' ? '1h' : '24h',
      })),
    },
    receivers: [
      { name: 'null' },
      ...SEVERITIES.map((severity) =>
        withWebhook.includes(severity)
          ? { name: severity, webhook_configs: [{ url: `${s.v.alertmanager.receivers[severity].url}`, send_resolved: true }] }
          : { name: severity },
      ),
    ],
    // A ticket says nothing new while the same objective pages.
    inhibit_rules: [{ source_matchers: ['severity="page"'], target_matchers: ['severity="ticket"'], equal: ['alertname', 'slo'] }],
  };
}

export class Alertmanager extends Construct {
  constructor(scope: Construct, id: string, props: { settings: Settings }) {
    super(scope, id);
    const s = props.settings;
    const { name } = ALERTMANAGER;
    const namespace = s.namespace('observability');
    const labels = labelsFor(name, 'alerting');
    const selector = selectorFor(name);

    const configName = `${name}-config`;
    for (const page of [true, false]) {
      for (const ticket of [true, false]) {
        const withWebhook = SEVERITIES.filter((sev) => (sev === 'page' ? page : ticket));
        const cond = all(page ? s.on.webhook('page') : not(s.on.webhook('page')), ticket ? s.on.webhook('ticket') : not(s.on.webhook('ticket')));
        s.gate.when(
          cond,
          () =>
            new k8s.KubeSecret(this, ['config', ...(page ? [] : ['no-page']), ...(ticket ? [] : ['no-ticket'])].join('-'), {
              metadata: { name: configName, namespace, labels },
              // Strings quoted: a URL from the values is quoted by the chart's template, so the plain manifests quote it too.
              stringData: {
                'alertmanager.yml': stringify(alertmanagerConfig(s, withWebhook), { lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' }),
              },
            }),
        );
      }
    }

    const workload = { name, namespace, labels, selector };
    singletonDeployment(this, {
      ...workload,
      uid: ALERTMANAGER_UID,
      container: {
        image: IMAGES.alertmanager,
        args: [
          `--config.file=${CONFIG_DIR}/alertmanager.yml`,
          '--storage.path=/alertmanager',
          `--web.listen-address=:${ALERTMANAGER.port}`,
          // One replica: no gossip with peers (and no port 9094).
          '--cluster.listen-address=',
        ],
        ports: [{ name: 'http', containerPort: ALERTMANAGER.port, protocol: 'TCP' }],
        resources: resources(s.v.alertmanager.resources),
        livenessProbe: httpProbe('/-/healthy', 'http'),
        readinessProbe: httpProbe('/-/ready', 'http', { periodSeconds: 5 }),
        volumeMounts: [{ name: 'config', mountPath: CONFIG_DIR, readOnly: true }, { name: 'data', mountPath: '/alertmanager' }, TMP_MOUNT],
      },
      volumes: [
        { name: 'config', secret: { secretName: configName } },
        { name: 'data', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
      ],
    });

    namedPortService(this, workload, [{ name: 'http', port: ALERTMANAGER.port }]);
  }
}
