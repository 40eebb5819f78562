// The flags of a cluster (the chart with flags.enabled): the flagd document
// in the ConfigMap fault-flags of the shop namespace, read and rewritten
// through the Kubernetes API, so that RBAC decides who may change flags
// (the chart's Role fault-flags-editor: get, update, patch on that one
// ConfigMap). A write carries the version it was read at: a change made by
// someone else in between is refused (409), never overwritten. flag-sync,
// beside flagd, sees the new version within a second; confirm() asks flagd
// itself through a port-forward, which needs pods/portforward as well.
import { CoreV1Api, type V1ConfigMap } from '@kubernetes/client-node';
import { CLUSTER_FLAGS, FLAGD, flagdDocument, parseFlagdDocument } from '@shop/contracts';
import { CliError, describeError } from '../cli/errors.ts';
import { apiStatusCode, kubeFailure } from '../kube/api-errors.ts';
import type { LoadedKubeConfig } from '../kube/kubeconfig.ts';
import { FlagsChangedMeanwhile, valuesOf, type FlagStore, type FlagValues } from './flag-store.ts';
import { waitUntilServed } from './served-flags.ts';

export interface ClusterStoreOptions {
  kube: LoadedKubeConfig;
  namespace: string;
  /** How long confirm() waits for flagd to serve a change. */
  confirmWithinMs?: number;
}

export class ClusterStore implements FlagStore {
  readonly where: string;
  private readonly kube: LoadedKubeConfig;
  private readonly namespace: string;
  private readonly core: CoreV1Api;
  private readonly confirmWithinMs: number;
  private read_: V1ConfigMap | undefined;

  constructor(options: ClusterStoreOptions) {
    this.kube = options.kube;
    this.namespace = options.namespace;
    this.core = options.kube.config.makeApiClient(CoreV1Api);
    this.confirmWithinMs = options.confirmWithinMs ?? 15_000;
    this.where = `ConfigMap ${this.namespace}/${CLUSTER_FLAGS.configMap} (context ${options.kube.context})`;
  }

  async read(): Promise<FlagValues> {
    const what = `read ConfigMap ${CLUSTER_FLAGS.configMap} in namespace ${this.namespace}`;
    try {
      this.read_ = await this.core.readNamespacedConfigMap({ name: CLUSTER_FLAGS.configMap, namespace: this.namespace });
    } catch (error) {
      if (apiStatusCode(error) === 404) {
        throw new CliError(
          `no ConfigMap ${CLUSTER_FLAGS.configMap} in namespace ${this.namespace}: install the chart with flags.enabled=true there (or pass --namespace)`,
        );
      }
      throw kubeFailure(error, what, this.kube.server);
    }
    const text = this.read_.data?.[CLUSTER_FLAGS.key];
    // A ConfigMap emptied by hand: every flag off, and the next write puts a document back.
    if (text === undefined) return {};
    const parsed = parseFlagdDocument(text);
    if ('error' in parsed) {
      throw new CliError(`${this.where} holds ${parsed.error} under ${CLUSTER_FLAGS.key}; \`shopctl flags reset\` rewrites it`);
    }
    return valuesOf(parsed.document);
  }

  async write(values: FlagValues): Promise<void> {
    const current = this.read_;
    if (!current) throw new Error('write before read');
    const body: V1ConfigMap = {
      ...current,
      data: { ...current.data, [CLUSTER_FLAGS.key]: `${JSON.stringify(flagdDocument(values), null, 2)}\n` },
    };
    try {
      this.read_ = await this.core.replaceNamespacedConfigMap({
        name: CLUSTER_FLAGS.configMap,
        namespace: this.namespace,
        body,
        fieldManager: CLUSTER_FLAGS.fieldManager,
      });
    } catch (error) {
      if (apiStatusCode(error) === 409) throw new FlagsChangedMeanwhile(`${this.where} changed since it was read`);
      throw kubeFailure(error, `update ConfigMap ${CLUSTER_FLAGS.configMap} in namespace ${this.namespace}`, this.kube.server);
    }
  }

  /** Asks flagd (OFREP, through a port-forward to its Service) until it serves `values`. */
  async confirm(values: FlagValues): Promise<string> {
    const { ServicePortForward } = await import('../kube/service-port-forward.ts');
    let forward: Awaited<ReturnType<typeof ServicePortForward.open>> | undefined;
    try {
      forward = await ServicePortForward.open(this.kube, { namespace: this.namespace, service: FLAGD.name, port: FLAGD.ofrep });
      const differs = await waitUntilServed(forward.url, values, this.confirmWithinMs);
      if (differs === undefined)
        return `written; flagd did not answer through the port-forward (${forward.lastError ?? 'no answer'}): it follows the ConfigMap within seconds when it runs`;
      if (differs.length === 0) return 'flagd serves it; the services follow within seconds';
      return `written, but after ${this.confirmWithinMs / 1000} s flagd still serves something else for ${differs.join(', ')}: see kubectl logs -n ${this.namespace} deploy/${FLAGD.name} -c flag-sync`;
    } catch (error) {
      return `written; could not ask flagd (${forward?.lastError ?? describeError(error)}): it follows the ConfigMap within seconds`;
    } finally {
      await forward?.close();
    }
  }

  async close(): Promise<void> {}
}
