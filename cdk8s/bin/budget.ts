// `make budget`: the CPU and memory the whole stack requests (dev values,
// one kind node), per workload and in total. Exits 1 over the budget.
import { buildApp, manifests } from '../src/app.ts';
import { budget, formatBudget, overBudget, totals } from '../src/checks/budget.ts';
import { ROOT } from '../src/model/paths.ts';

const lines = budget(manifests(buildApp({ root: ROOT })));
process.stdout.write(formatBudget(lines));
if (overBudget(totals(lines))) {
  process.stderr.write('over budget: see cdk8s/src/model/sizing.ts\n');
  process.exit(1);
}
