// Which pods belong to a Deployment or DaemonSet: its spec.selector, matched
// as the API server does (matchLabels AND every matchExpression).
import type { V1LabelSelector } from '@kubernetes/client-node';

export function matchesSelector(labels: Record<string, string> | undefined, selector: V1LabelSelector | undefined): boolean {
  if (!selector) return false;
  const have = labels ?? {};
  const required = Object.entries(selector.matchLabels ?? {});
  const expressions = selector.matchExpressions ?? [];
  // An empty selector selects nothing here: a workload without one owns no pods we could name.
  if (required.length === 0 && expressions.length === 0) return false;
  if (!required.every(([key, value]) => have[key] === value)) return false;
  return expressions.every(({ key, operator, values = [] }) => {
    switch (operator) {
      case 'In':
        return key in have && values.includes(have[key]!);
      case 'NotIn':
        return !(key in have) || !values.includes(have[key]!);
      case 'Exists':
        return key in have;
      case 'DoesNotExist':
        return !(key in have);
      default:
        return false;
    }
  });
}

export function selectorString(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
