// The fault flags in a cluster (docs/flags.md): flagd in the shop namespace,
// serving the flag definitions to the services' in-process providers over
// its sync port, and the ConfigMap those definitions live in (every flag off
// at install). A kubelet refreshes a mounted ConfigMap only every minute or
// so; flag-sync, flagd's native sidecar, watches the ConfigMap through the
// API instead and writes each version to the file flagd syncs from, so a
// change reaches the services within seconds. flagd starts only once that
// file exists (the sidecar's startup probe). Only flag-sync holds an API
// token (a projected volume in its container alone), and its Role may read
// only that ConfigMap; who may change flags is whoever is bound to the Role
// fault-flags-editor.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import { CLUSTER_FLAGS, flagdDocument } from '@shop/contracts';
import { IMAGES } from '../model/images.ts';
import { containerSecurityContext, fieldEnv, httpProbe, resources } from '../model/security.ts';
import type { Settings } from '../model/settings.ts';
import { FLAGD, FLAG_SYNC, labelsFor, selectorFor } from '../model/topology.ts';
import { TMP_MOUNT, namedPortService, singletonDeployment } from './singleton.ts';

/** flagd's image runs as its distroless `nonroot` user. */
export const FLAGD_UID = 65532;
/** flag-sync is one of our Node images: the base image's `node` user. */
const FLAG_SYNC_UID = 1000;
const FLAGS_DIR = '/flags';
export const FLAGS_FILE = `${FLAGS_DIR}/${CLUSTER_FLAGS.key}`;
/** Where a pod's API credentials are read from (client libraries look there). */
const TOKEN_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The flag definitions the chart installs: every flag off, as the contract makes them. */
export function flagDefinitions(): string {
  return `${JSON.stringify(flagdDocument(), null, 2)}\n`;
}

export class Flagd extends Construct {
  constructor(scope: Construct, id: string, props: { settings: Settings }) {
    super(scope, id);
    const s = props.settings;
    const { name } = FLAGD;
    const namespace = s.namespace('shop');
    const labels = labelsFor(name, 'flags');
    const selector = selectorFor(name);
    const configMap = { name: CLUSTER_FLAGS.configMap, namespace };

    new k8s.KubeConfigMap(this, 'definitions', {
      metadata: { ...configMap, labels },
      data: { [CLUSTER_FLAGS.key]: flagDefinitions() },
    });

    new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name, namespace, labels }, automountServiceAccountToken: false });
    const reader = `${FLAG_SYNC.name}-reader`;
    new k8s.KubeRole(this, 'reader', {
      metadata: { name: reader, namespace, labels },
      // A list or watch is allowed by resourceNames only with the field selector metadata.name=<that name>, which flag-sync sends.
      rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: [CLUSTER_FLAGS.configMap], verbs: ['get', 'list', 'watch'] }],
    });
    new k8s.KubeRoleBinding(this, 'reader-binding', {
      metadata: { name: reader, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: reader },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    });
    new k8s.KubeRole(this, 'editor', {
      metadata: { name: CLUSTER_FLAGS.editorRole, namespace, labels },
      rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: [CLUSTER_FLAGS.configMap], verbs: ['get', 'update', 'patch'] }],
    });

    const sync: k8s.Container = {
      name: FLAG_SYNC.name,
      image: s.image(FLAG_SYNC.name).field,
      imagePullPolicy: s.v.image.pullPolicy.field,
      // A native sidecar: started before flagd, kept running beside it.
      restartPolicy: 'Always',
      env: [
        fieldEnv('FLAGS_NAMESPACE', 'metadata.namespace'),
        { name: 'FLAGS_FILE', value: FLAGS_FILE },
        { name: 'PORT', value: String(FLAG_SYNC.port) },
        // Nothing here is worth a trace: one watch, and a line in the log per change.
        { name: 'OTEL_SDK_DISABLED', value: 'true' },
        { name: 'NODE_OPTIONS', value: '--max-old-space-size=64' },
      ],
      ports: [{ name: 'http', containerPort: FLAG_SYNC.port, protocol: 'TCP' }],
      resources: resources(s.v.flags.sync.resources),
      startupProbe: httpProbe('/readyz', 'http', { periodSeconds: 1, failureThreshold: 120 }),
      livenessProbe: httpProbe('/healthz', 'http'),
      readinessProbe: httpProbe('/readyz', 'http', { periodSeconds: 5 }),
      securityContext: { ...containerSecurityContext(), runAsUser: FLAG_SYNC_UID, runAsGroup: FLAG_SYNC_UID },
      volumeMounts: [{ name: 'flags', mountPath: FLAGS_DIR }, { name: 'api-token', mountPath: TOKEN_DIR, readOnly: true }, TMP_MOUNT],
    };
    const workload = { name, namespace, labels, selector };
    // One replica, replaced rather than rolled: the services keep their last flags while flagd is away.
    singletonDeployment(this, {
      ...workload,
      uid: FLAGD_UID,
      serviceAccountName: name,
      sidecars: [sync],
      container: {
        image: IMAGES.flagd,
        args: [
          'start',
          '--uri',
          `file:${FLAGS_FILE}`,
          '--port',
          String(FLAGD.evaluation),
          '--management-port',
          String(FLAGD.management),
          '--sync-port',
          String(FLAGD.sync),
          '--ofrep-port',
          String(FLAGD.ofrep),
        ],
        ports: [
          { name: 'sync', containerPort: FLAGD.sync, protocol: 'TCP' },
          { name: 'ofrep', containerPort: FLAGD.ofrep, protocol: 'TCP' },
          { name: 'management', containerPort: FLAGD.management, protocol: 'TCP' },
        ],
        resources: resources(s.v.flags.resources),
        livenessProbe: httpProbe('/healthz', 'management'),
        readinessProbe: httpProbe('/readyz', 'management', { periodSeconds: 5 }),
        volumeMounts: [{ name: 'flags', mountPath: FLAGS_DIR, readOnly: true }, TMP_MOUNT],
      },
      volumes: [
        { name: 'flags', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Mi') } },
        {
          name: 'api-token',
          projected: {
            sources: [
              { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              { downwardApi: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
            ],
          },
        },
      ],
    });

    namedPortService(this, workload, [
      { name: 'sync', port: FLAGD.sync, appProtocol: 'grpc' },
      { name: 'ofrep', port: FLAGD.ofrep },
    ]);
  }
}
