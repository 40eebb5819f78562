// The namespaces we own. Each part of the stack (shop, observability,
// kafka) is in namespaces.<part>, by default the release's namespace, which
// Helm creates (or the user does) and the chart does not label. A namespace
// named otherwise is created here (Settings.createsNamespace), once if
// parts share it. With Strimzi, `kafka` is created by the operator's Helm
// release (skaffold's strimzi config, createNamespace), which runs first.
// shop enforces the "restricted" Pod Security Standard. observability cannot:
// the collector's hostPort (the node-local OTLP endpoint of the
// architecture) is outside even "baseline"; its pods still set the
// restricted securityContext, which the policy test checks.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import { all } from '../model/knobs.ts';
import type { Settings } from '../model/settings.ts';
import { PART_OF } from '../model/topology.ts';

export class Namespaces extends Construct {
  constructor(scope: Construct, id: string, props: { settings: Settings }) {
    super(scope, id);
    const s = props.settings;
    s.gate.when(
      s.createsNamespace('shop'),
      () =>
        new k8s.KubeNamespace(this, 'shop', {
          metadata: {
            name: s.namespace('shop'),
            labels: {
              'app.kubernetes.io/part-of': PART_OF,
              'pod-security.kubernetes.io/enforce': 'restricted',
              'pod-security.kubernetes.io/enforce-version': 'latest',
              // Also judge Deployments and StatefulSets at apply time, not only their pods.
              'pod-security.kubernetes.io/warn': 'restricted',
              'pod-security.kubernetes.io/warn-version': 'latest',
            },
          },
        }),
    );
    // Without an operator, nothing in kafka needs more than "restricted".
    s.gate.when(
      all(s.on.kafkaByChart, s.createsNamespace('kafka')),
      () =>
        new k8s.KubeNamespace(this, 'kafka', {
          metadata: {
            name: s.namespace('kafka'),
            labels: {
              'app.kubernetes.io/part-of': PART_OF,
              'pod-security.kubernetes.io/enforce': 'restricted',
              'pod-security.kubernetes.io/enforce-version': 'latest',
            },
          },
        }),
    );
    // Only while the telemetry stack is in the cluster: nothing else lives there.
    s.gate.when(
      all(s.on.observability, s.createsNamespace('observability')),
      () =>
        new k8s.KubeNamespace(this, 'observability', {
          metadata: {
            name: s.namespace('observability'),
            labels: {
              'app.kubernetes.io/part-of': PART_OF,
              'pod-security.kubernetes.io/enforce': 'privileged',
              'pod-security.kubernetes.io/audit': 'restricted',
            },
          },
        }),
    );
  }
}
