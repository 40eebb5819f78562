// NodePorts that kind-config.yaml maps to 127.0.0.1 on the host, so the
// gateway, the storefront, Jaeger and Grafana answer without a port-forward (after
// `make deploy`, or when a port-forward dropped). Helm: kindNodePorts.enabled;
// Jaeger's and Grafana's only while the telemetry stack is in the cluster.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import { ALWAYS, type Cond } from '../model/knobs.ts';
import type { NamespaceKey, Settings } from '../model/settings.ts';
import { GRAFANA, JAEGER, NODE_PORTS, PART_OF, SERVICES, STOREFRONT, selectorFor } from '../model/topology.ts';
import { NodePortPolicies } from './network-policies.ts';

export class KindAccess extends Construct {
  constructor(scope: Construct, id: string, props: { settings: Settings }) {
    super(scope, id);
    const s = props.settings;
    const nodePort = (name: string, namespace: NamespaceKey, port: number, nodePortNumber: number, when: Cond) =>
      s.gate.when(
        when,
        () =>
          new k8s.KubeService(this, name, {
            metadata: {
              name: `${name}-nodeport`,
              namespace: s.namespace(namespace),
              labels: { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/name': name },
            },
            spec: {
              type: 'NodePort',
              selector: selectorFor(name),
              ports: [{ name: 'http', port, targetPort: k8s.IntOrString.fromNumber(port), nodePort: nodePortNumber, protocol: 'TCP' }],
            },
          }),
      );
    nodePort('gateway', 'shop', SERVICES.gateway.port, NODE_PORTS.gateway, ALWAYS);
    nodePort(STOREFRONT.name, 'shop', STOREFRONT.port, NODE_PORTS.storefront, s.on.storefront);
    nodePort(JAEGER.name, 'observability', JAEGER.query, NODE_PORTS.jaeger, s.on.observability);
    nodePort(GRAFANA.name, 'observability', GRAFANA.port, NODE_PORTS.grafana, s.on.observability);
    s.gate.when(s.on.policies, () => new NodePortPolicies(this, 'policies', { settings: s }));
  }
}
