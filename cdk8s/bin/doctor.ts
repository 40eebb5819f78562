// `make doctor` (and the first step of `make cluster`, `make dev`, `make
// deploy`, `make down`): probes the machine for what the kind path needs and
// prints one line per check; exits 1 when something must be fixed first. The
// probe is src/checks/doctor-probe.ts, the judgement src/checks/doctor.ts.
//
//   node cdk8s/bin/doctor.ts [--for cluster|dev|down]   (default: dev, everything)
import { SCOPES, diagnose, formatFindings, type Scope } from '../src/checks/doctor.ts';
import { need, probe } from '../src/checks/doctor-probe.ts';

const CLUSTER = process.env.K8S_CLUSTER ?? 'otel-shop';

const i = process.argv.indexOf('--for');
const scope = (i > 0 ? process.argv[i + 1] : 'dev') as Scope;
if (!(scope in SCOPES)) {
  process.stderr.write(`doctor: --for must be one of ${Object.keys(SCOPES).join(', ')}\n`);
  process.exit(2);
}
const wanted = need();
const findings = diagnose(await probe(wanted, CLUSTER), wanted, scope);
process.stdout.write(formatFindings(findings, scope));
process.exitCode = findings.some((f) => !f.ok && !f.warning) ? 1 : 0;
