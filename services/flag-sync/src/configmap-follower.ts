// Follows one ConfigMap through the Kubernetes API: read it, then watch it
// from that version; when the watch ends (the API server closes watches
// after a while, or the connection drops), read and watch again after a
// pause. Each version's value under `key` goes to onValue, in order. A
// ConfigMap that is missing, or loses its key, changes nothing: the last
// value stays in force. A kubelet refreshes a mounted ConfigMap only on its
// own sync period (about a minute); a watch sees a change within a second.
import { CoreV1Api, Watch, type KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import type { Logger } from '@shop/kit';

export interface ConfigMapFollowerOptions {
  kube: KubeConfig;
  namespace: string;
  name: string;
  key: string;
  /** Called with each new value, one call at a time. */
  onValue: (value: string) => Promise<void>;
  /** Called once when the first read fails (no ConfigMap, no API server): the caller may fall back. */
  onFirstReadFailed?: (reason: string) => Promise<void>;
  log: Logger;
  /** The pause before reading and watching again (default 1 s). */
  retryMs?: number;
}

export class ConfigMapFollower {
  private readonly core: CoreV1Api;
  private readonly watch: Watch;
  private stopped = false;
  private current: AbortController | undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly options: ConfigMapFollowerOptions;

  constructor(options: ConfigMapFollowerOptions) {
    this.options = options;
    this.core = options.kube.makeApiClient(CoreV1Api);
    this.watch = new Watch(options.kube);
  }

  /** Starts following; resolves after the first read (whatever its outcome). */
  async start(): Promise<void> {
    let first: () => void = () => {};
    const firstRead = new Promise<void>((resolve) => (first = resolve));
    this.loop = this.run(first);
    await firstRead;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.current?.abort();
    this.wake?.();
    await this.loop;
    await this.queue;
  }

  private async run(firstReadDone: () => void): Promise<void> {
    const { namespace, name, log } = this.options;
    let attempt = 0;
    while (!this.stopped) {
      attempt++;
      let version: string | undefined;
      try {
        const configMap = await this.core.readNamespacedConfigMap({ name, namespace });
        this.take(configMap);
        await this.queue;
        version = configMap.metadata?.resourceVersion;
      } catch (error) {
        const reason = describe(error);
        if (attempt === 1) await this.options.onFirstReadFailed?.(reason);
        log.warn({ configmap: `${namespace}/${name}`, reason }, 'cannot read the flags ConfigMap; the flags stay as they are');
      }
      if (attempt === 1) firstReadDone();
      if (version !== undefined && !this.stopped) await this.watchFrom(version);
      if (!this.stopped) await this.pause();
    }
  }

  /** Watches from `version` until the watch ends. */
  private async watchFrom(version: string): Promise<void> {
    const { namespace, name, log } = this.options;
    await new Promise<void>((resolve) => {
      this.watch
        .watch(
          `/api/v1/namespaces/${namespace}/configmaps`,
          { fieldSelector: `metadata.name=${name}`, resourceVersion: version, allowWatchBookmarks: true },
          (phase, object: V1ConfigMap) => {
            if (phase === 'ADDED' || phase === 'MODIFIED') this.take(object);
            else if (phase === 'DELETED') log.warn({ configmap: `${namespace}/${name}` }, 'the flags ConfigMap was deleted; the flags stay as they are');
          },
          (error) => {
            if (error && !this.stopped && (error as Error).name !== 'AbortError')
              log.warn({ reason: describe(error) }, 'the watch of the flags ConfigMap ended');
            resolve();
          },
        )
        .then(
          (controller) => {
            this.current = controller;
            if (this.stopped) controller.abort();
          },
          (error) => {
            log.warn({ reason: describe(error) }, 'cannot watch the flags ConfigMap');
            resolve();
          },
        );
    });
  }

  private take(configMap: V1ConfigMap): void {
    const value = configMap.data?.[this.options.key];
    if (value === undefined) {
      this.options.log.warn({ key: this.options.key }, 'the flags ConfigMap has no such key; the flags stay as they are');
      return;
    }
    this.queue = this.queue.then(() => this.options.onValue(value)).catch((error) => this.options.log.error({ err: error }, 'could not apply the flags'));
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.options.retryMs ?? 1_000);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

function describe(error: unknown): string {
  const e = error as { code?: unknown; body?: unknown; message?: unknown };
  if (typeof e?.code === 'number') {
    const body = typeof e.body === 'string' ? safeMessage(e.body) : undefined;
    return `HTTP ${e.code}${body ? `: ${body}` : ''}`;
  }
  return typeof e?.message === 'string' ? e.message : String(error);
}

function safeMessage(body: string): string | undefined {
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}
