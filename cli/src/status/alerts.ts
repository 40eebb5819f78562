// The alerts firing in the deployment, as `shopctl status` lists them: read
// from Prometheus's HTTP API (GET /api/v1/alerts) through a port-forward to
// its Service, so they show whether or not Alertmanager runs. They are
// listed beside the verdict, not part of it: the verdict is about the
// deployment's components, an SLO alert about what users get
// (docs/slo.md says what to do for each).
import { describeError } from '../cli/errors.ts';
import type { LoadedKubeConfig } from '../kube/kubeconfig.ts';

export interface FiringAlert {
  name: string;
  severity: string;
  /** The objective of an SLO alert (label slo). */
  slo?: string | undefined;
  /** When it went active (RFC 3339). */
  since: string;
  summary?: string | undefined;
}

/** Where the alerts were read, and what was found there (or why nothing could be read). */
export type AlertsFacts = { source: string; firing: FiringAlert[] } | { source: string; error: string };

interface ApiAlert {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  state?: string;
  activeAt?: string;
}

/** The firing alerts of a /api/v1/alerts answer, pages first, then by name. */
export function firingAlerts(body: unknown): FiringAlert[] {
  const data = (body as { status?: string; data?: { alerts?: ApiAlert[] } } | undefined) ?? {};
  if (data.status !== 'success' || !Array.isArray(data.data?.alerts)) throw new Error(`not an answer of /api/v1/alerts: ${JSON.stringify(body).slice(0, 200)}`);
  const rank = (s: string) => (s === 'page' ? 0 : s === 'ticket' ? 1 : 2);
  return data.data.alerts
    .filter((a) => a.state === 'firing')
    .map((a) => ({
      name: a.labels?.alertname ?? '?',
      severity: a.labels?.severity ?? '',
      slo: a.labels?.slo,
      since: a.activeAt ?? '',
      summary: a.annotations?.summary,
    }))
    .sort((a, b) => rank(a.severity) - rank(b.severity) || a.name.localeCompare(b.name) || (a.slo ?? '').localeCompare(b.slo ?? ''));
}

/** Reads the firing alerts from Prometheus behind service `namespace/service:port`; a failure is reported, not thrown. */
export async function collectAlerts(kube: LoadedKubeConfig, target: { namespace: string; service: string; port: number }): Promise<AlertsFacts> {
  const source = `${target.namespace}/${target.service}`;
  // Loaded here: the port-forward brings client-node's WebSocket code.
  const { ServicePortForward } = await import('../kube/service-port-forward.ts');
  let forward: Awaited<ReturnType<typeof ServicePortForward.open>> | undefined;
  try {
    forward = await ServicePortForward.open(kube, target);
    const res = await fetch(`${forward.url}/api/v1/alerts`, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) return { source, error: `GET /api/v1/alerts answered ${res.status}` };
    return { source, firing: firingAlerts(await res.json()) };
  } catch (error) {
    return { source, error: forward?.lastError ?? describeError(error) };
  } finally {
    await forward?.close();
  }
}
