// `make budget`: the CPU and memory the whole stack requests (dev values,
// one kind node), per workload and in total. Exits 1 over the budget.
import { buildApp, manifests } from '../src/app.ts';
import { BUDGET_LIMITS, budget, formatBudget, totals } from '../src/budget.ts';
import { ROOT } from './paths.ts';

const lines = budget(manifests(buildApp({ root: ROOT })));
process.stdout.write(formatBudget(lines));
const t = totals(lines);
if (t.cpuMillis > BUDGET_LIMITS.cpuMillis || t.memoryBytes > BUDGET_LIMITS.memoryBytes) {
  process.stderr.write('over budget: see cdk8s/src/sizing.ts\n');
  process.exit(1);
}
