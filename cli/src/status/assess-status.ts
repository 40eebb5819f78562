// The verdicts of `shopctl status`, from the facts alone.
//   healthy   present, every replica ready, nothing crash-looping, rollout done
//   degraded  present but short of that (the details say what)
//   missing   not there at all
// Overall: healthy when every component is; missing when none is there (the
// wrong context or namespace, most likely); degraded otherwise. Restarts are
// shown but do not degrade by themselves: an old restart is history; a pod
// restarting now shows up as not ready or CrashLoopBackOff.
import type { AlertsFacts } from './alerts.ts';
import type { ClusterSnapshot, ConditionFacts, PodFacts, StrimziFacts, WorkloadFacts } from './snapshot.ts';

export type Verdict = 'healthy' | 'degraded' | 'missing';

export interface ComponentStatus {
  /** e.g. "deployment/gateway", "kafka/shop". */
  component: string;
  namespace: string;
  verdict: Verdict;
  /** "2/2", or "-" when readiness does not apply. */
  ready: string;
  restarts: number;
  details: string[];
}

export interface StatusReport {
  context: string;
  server: string;
  verdict: Verdict;
  components: ComponentStatus[];
  /** The alerts firing (read from Prometheus): listed beside the verdict, not part of it. */
  alerts?: AlertsFacts | undefined;
}

// Container states that mean "will not get better by waiting".
const STUCK = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'InvalidImageName',
  'RunContainerError',
]);

function podDetails(pods: PodFacts[]): { restarts: number; problems: string[]; notes: string[] } {
  const restarts = pods.reduce((n, p) => n + p.restarts, 0);
  const problems = pods.flatMap((p) => p.waitingReasons.filter((r) => STUCK.has(r)).map((r) => `${p.name} ${r}`));
  const notes = pods
    .filter((p) => p.restarts > 0)
    .map((p) => `${p.name} restarted ${p.restarts}×${p.lastTerminationReasons.length ? ` (last: ${p.lastTerminationReasons.join(', ')})` : ''}`);
  return { restarts, problems, notes };
}

export function assessWorkload(w: WorkloadFacts): ComponentStatus {
  const component = `${w.kind.toLowerCase()}/${w.name}`;
  if (!w.found) return { component, namespace: w.namespace, verdict: 'missing', ready: '-', restarts: 0, details: [`no ${w.kind} ${w.namespace}/${w.name}`] };
  const { restarts, problems, notes } = podDetails(w.pods);
  const details: string[] = [];
  if (w.desired === 0) details.push(w.kind === 'DaemonSet' ? 'scheduled on no node' : 'scaled to 0 replicas');
  else if (w.ready < w.desired) details.push(`${w.desired - w.ready} of ${w.desired} not ready`);
  if (w.desired > 0 && (w.updated < w.desired || w.observedGeneration < w.generation)) details.push(`rollout in progress (${w.updated}/${w.desired} updated)`);
  details.push(...problems);
  const verdict: Verdict = details.length ? 'degraded' : 'healthy';
  return { component, namespace: w.namespace, verdict, ready: `${w.ready}/${w.desired}`, restarts, details: [...details, ...notes] };
}

const condition = (conditions: ConditionFacts[], type: string) => conditions.find((c) => c.type === type);
const explain = (c: ConditionFacts) => [c.reason, c.message].filter(Boolean).join(': ') || `${c.type}=${c.status}`;

function strimziCommon(s: StrimziFacts): { problems: string[]; notes: string[] } {
  const problems: string[] = [];
  const notes = s.conditions.filter((c) => c.type === 'Warning' && c.status === 'True').map((c) => `warning: ${explain(c)}`);
  const ready = condition(s.conditions, 'Ready');
  const notReady = condition(s.conditions, 'NotReady');
  if (notReady?.status === 'True') problems.push(`NotReady: ${explain(notReady)}`);
  if (ready && ready.status !== 'True') problems.push(`not Ready: ${explain(ready)}`);
  if (s.observedGeneration < s.generation) problems.push(`spec changed (generation ${s.generation}), not reconciled yet (observed ${s.observedGeneration})`);
  return { problems, notes };
}

export function assessKafka(kafka: StrimziFacts): ComponentStatus {
  const component = `kafka/${kafka.name}`;
  if (!kafka.kindKnown)
    return {
      component,
      namespace: kafka.namespace,
      verdict: 'missing',
      ready: '-',
      restarts: 0,
      details: ['Strimzi CRDs are not installed (no kafkas.kafka.strimzi.io/v1)'],
    };
  if (!kafka.found)
    return { component, namespace: kafka.namespace, verdict: 'missing', ready: '-', restarts: 0, details: [`no Kafka ${kafka.namespace}/${kafka.name}`] };
  const { problems, notes } = strimziCommon(kafka);
  const ready = condition(kafka.conditions, 'Ready');
  if (!ready && !problems.length) problems.push('no Ready condition: not reconciled by the Strimzi operator yet');
  if (ready?.status === 'True' && kafka.kafkaVersion) notes.unshift(`Kafka ${kafka.kafkaVersion}`);
  return {
    component,
    namespace: kafka.namespace,
    verdict: problems.length ? 'degraded' : 'healthy',
    ready: ready?.status === 'True' ? 'Ready' : 'not Ready',
    restarts: 0,
    details: [...problems, ...notes],
  };
}

export function assessNodePool(pool: StrimziFacts): ComponentStatus {
  const component = `kafkanodepool/${pool.name}`;
  const { problems, notes } = strimziCommon(pool);
  const desired = pool.specReplicas ?? 0;
  const pods = pool.pods ?? [];
  const readyPods = pods.filter((p) => p.ready).length;
  if (pool.statusReplicas === undefined) problems.push('no status: not reconciled by the Strimzi operator yet');
  else if (pool.statusReplicas !== desired) problems.push(`${pool.statusReplicas} of ${desired} nodes created`);
  if (readyPods < desired) problems.push(`${desired - readyPods} of ${desired} broker pods not ready`);
  const podInfo = podDetails(pods);
  problems.push(...podInfo.problems);
  if (pool.nodeIds?.length) notes.unshift(`node ids ${pool.nodeIds.join(', ')}`);
  return {
    component,
    namespace: pool.namespace,
    verdict: problems.length ? 'degraded' : 'healthy',
    ready: `${readyPods}/${desired}`,
    restarts: podInfo.restarts,
    details: [...problems, ...notes, ...podInfo.notes],
  };
}

/** Kafka as Strimzi runs it (the Kafka resource and its node pools), or the chart's own broker. */
function assessKafkaCluster(snapshot: ClusterSnapshot, kafkaCluster: string): ComponentStatus[] {
  if (snapshot.kafkaBroker) return [assessWorkload(snapshot.kafkaBroker)];
  return [
    assessKafka(snapshot.kafka),
    ...(snapshot.nodePools.length
      ? snapshot.nodePools.map(assessNodePool)
      : [
          {
            component: 'kafkanodepool/*',
            namespace: snapshot.kafka.namespace,
            verdict: 'missing' as const,
            ready: '-',
            restarts: 0,
            details: [
              snapshot.nodePoolKindKnown
                ? `no KafkaNodePool labelled strimzi.io/cluster=${kafkaCluster}`
                : 'Strimzi CRDs are not installed (no kafkanodepools.kafka.strimzi.io/v1)',
            ],
          },
        ]),
  ];
}

export function assessCluster(snapshot: ClusterSnapshot, kafkaCluster: string): StatusReport {
  const components = [...snapshot.services.map(assessWorkload), ...assessKafkaCluster(snapshot, kafkaCluster), assessWorkload(snapshot.collector)];
  const verdict: Verdict = components.every((c) => c.verdict === 'healthy')
    ? 'healthy'
    : components.every((c) => c.verdict === 'missing')
      ? 'missing'
      : 'degraded';
  return { context: snapshot.context, server: snapshot.server, verdict, components };
}
