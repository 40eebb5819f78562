// Grafana 12 with everything provisioned: the Prometheus and Jaeger
// datasources (exemplars link metrics to traces; trace-to-metrics links go
// from a span back to its RED metrics) and the dashboards of src/dashboards.
// Anonymous users may view; the admin login is the grafana-admin Secret.
// No internet: update checks, analytics and plugin preinstalls are off.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import { stringify } from 'yaml';
import { SECRETS } from '../model/credentials.ts';
import { all, not } from '../model/knobs.ts';
import { DASHBOARDS, dashboardsFor, deployedInCluster } from '../dashboards/index.ts';
import { DATASOURCES } from '../dashboards/builder.ts';
import { httpProbe, resources, secretEnv } from '../model/security.ts';
import { Settings } from '../model/settings.ts';
import { IMAGES } from '../model/images.ts';
import { GRAFANA, JAEGER, PROMETHEUS, labelsFor, selectorFor } from '../model/topology.ts';
import { TMP_MOUNT, namedPortService, singletonDeployment } from './singleton.ts';

export const GRAFANA_UID = 472;
const DASHBOARD_DIR = '/etc/grafana/dashboards';

export function datasources(s: Settings = new Settings('plain')): Record<string, unknown> {
  const spanTags = [{ key: 'service.name', value: 'service_name' }];
  return {
    apiVersion: 1,
    datasources: [
      {
        name: 'Prometheus',
        uid: DATASOURCES.prometheus.uid,
        type: 'prometheus',
        access: 'proxy',
        url: `http://${s.fqdn(PROMETHEUS.name, 'observability')}:${PROMETHEUS.port}`,
        isDefault: true,
        editable: false,
        jsonData: {
          timeInterval: '15s',
          httpMethod: 'POST',
          // Exemplars carry trace_id (the collector's prometheus exporter): link them to Jaeger.
          exemplarTraceIdDestinations: [{ name: 'trace_id', datasourceUid: DATASOURCES.jaeger.uid }],
        },
      },
      {
        name: 'Jaeger',
        uid: DATASOURCES.jaeger.uid,
        type: 'jaeger',
        access: 'proxy',
        url: `http://${s.fqdn(JAEGER.name, 'observability')}:${JAEGER.query}`,
        editable: false,
        jsonData: {
          nodeGraph: { enabled: true },
          // From a span to the RED metrics of its service and operation.
          tracesToMetrics: {
            datasourceUid: DATASOURCES.prometheus.uid,
            spanStartTimeShift: '-5m',
            spanEndTimeShift: '5m',
            tags: spanTags,
            queries: [
              { name: 'Request rate', query: 'sum(rate(traces_span_metrics_calls_total{$__tags}[5m]))' },
              { name: 'Error rate', query: 'sum(rate(traces_span_metrics_calls_total{$__tags, status_code="STATUS_CODE_ERROR"}[5m]))' },
              { name: 'Duration p95', query: 'histogram_quantile(0.95, sum by (le) (rate(traces_span_metrics_duration_seconds_bucket{$__tags}[5m])))' },
            ],
          },
        },
      },
    ],
  };
}

export function dashboardProviders(): Record<string, unknown> {
  return {
    apiVersion: 1,
    providers: [
      {
        name: 'otel-shop',
        folder: 'otel-shop',
        type: 'file',
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 30,
        options: { path: DASHBOARD_DIR, foldersFromFilesStructure: false },
      },
    ],
  };
}

export class Grafana extends Construct {
  constructor(scope: Construct, id: string, props: { settings: Settings }) {
    super(scope, id);
    const s = props.settings;
    const { name } = GRAFANA;
    const namespace = s.namespace('observability');
    const labels = labelsFor(name, 'dashboards');
    const selector = selectorFor(name);

    const provisioning = new k8s.KubeConfigMap(this, 'provisioning', {
      metadata: { name: `${name}-provisioning`, namespace, labels },
      data: {
        'datasources.yaml': stringify(datasources(s), { lineWidth: 0 }),
        'dashboards.yaml': stringify(dashboardProviders(), { lineWidth: 0 }),
      },
    });
    // With the notification service or without, and the storefront or not
    // (then no row, panel or query about it): one of four ConfigMaps of the same name.
    const dashboardsName = `${name}-dashboards`;
    for (const notification of [true, false]) {
      for (const storefront of [true, false]) {
        const id = ['dashboards', ...(notification ? [] : ['without-notification']), ...(storefront ? [] : ['without-storefront'])].join('-');
        s.gate.when(
          all(notification ? s.on.service('notification') : not(s.on.service('notification')), storefront ? s.on.storefront : not(s.on.storefront)),
          () =>
            new k8s.KubeConfigMap(this, id, {
              metadata: { name: dashboardsName, namespace, labels },
              data: Object.fromEntries(
                dashboardsFor(deployedInCluster({ notification, storefront })).map((d) => [`${d.uid}.json`, `${JSON.stringify(d, null, 2)}\n`]),
              ),
            }),
        );
      }
    }

    const env: k8s.EnvVar[] = [
      secretEnv('GF_SECURITY_ADMIN_USER', SECRETS.grafana.name, SECRETS.grafana.userKey),
      secretEnv('GF_SECURITY_ADMIN_PASSWORD', SECRETS.grafana.name, SECRETS.grafana.passwordKey),
      { name: 'GF_AUTH_ANONYMOUS_ENABLED', value: 'true' },
      { name: 'GF_AUTH_ANONYMOUS_ORG_ROLE', value: 'Viewer' },
      { name: 'GF_PATHS_DATA', value: '/var/lib/grafana' },
      { name: 'GF_PATHS_PLUGINS', value: '/var/lib/grafana/plugins' },
      { name: 'GF_PATHS_LOGS', value: '/var/lib/grafana/logs' },
      { name: 'GF_PATHS_PROVISIONING', value: '/etc/grafana/provisioning' },
      { name: 'GF_LOG_MODE', value: 'console' },
      { name: 'GF_ANALYTICS_REPORTING_ENABLED', value: 'false' },
      { name: 'GF_ANALYTICS_CHECK_FOR_UPDATES', value: 'false' },
      { name: 'GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES', value: 'false' },
      { name: 'GF_PLUGINS_PREINSTALL_DISABLED', value: 'true' },
      { name: 'GF_NEWS_NEWS_FEED_ENABLED', value: 'false' },
      { name: 'GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH', value: `${DASHBOARD_DIR}/${DASHBOARDS[0]!.uid}.json` },
    ];

    const workload = { name, namespace, labels, selector };
    singletonDeployment(this, {
      ...workload,
      uid: GRAFANA_UID,
      container: {
        image: IMAGES.grafana,
        env,
        ports: [{ name: 'http', containerPort: GRAFANA.port, protocol: 'TCP' }],
        resources: resources(s.v.observability.grafana.resources),
        startupProbe: httpProbe('/api/health', 'http', { periodSeconds: 3, failureThreshold: 40 }),
        livenessProbe: httpProbe('/api/health', 'http'),
        readinessProbe: httpProbe('/api/health', 'http', { periodSeconds: 5 }),
        volumeMounts: [
          { name: 'data', mountPath: '/var/lib/grafana' },
          { name: 'provisioning', mountPath: '/etc/grafana/provisioning', readOnly: true },
          { name: 'dashboards', mountPath: DASHBOARD_DIR, readOnly: true },
          TMP_MOUNT,
        ],
      },
      volumes: [
        { name: 'data', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } },
        {
          name: 'provisioning',
          configMap: {
            name: provisioning.name,
            items: [
              { key: 'datasources.yaml', path: 'datasources/datasources.yaml' },
              { key: 'dashboards.yaml', path: 'dashboards/dashboards.yaml' },
            ],
          },
        },
        { name: 'dashboards', configMap: { name: dashboardsName } },
      ],
    });

    namedPortService(this, workload, [{ name: 'http', port: GRAFANA.port }]);
  }
}
