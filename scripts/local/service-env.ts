// What scripts/local/local.sh needs from the service table (@shop/contracts), so
// the shell holds no copy of it:
//   node scripts/local/service-env.ts table        "<service> <port>" per line, in start order (callees first)
//   node scripts/local/service-env.ts env <name>   the service's environment, KEY=VALUE per line
// `env` reads the caller's environment: settings already set there win
// (fault injection is configuration), see localServiceEnv. The storefront
// and the load generator come last in the table: they are no rows of the
// five services' table, and they call the gateway.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEPLOYABLE_NAMES,
  LOAD_GENERATOR,
  SERVICES,
  STOREFRONT,
  localLoadGeneratorEnv,
  localServiceEnv,
  localStorefrontEnv,
  startOrder,
  type DeployableName,
} from '@shop/contracts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function serviceVersion(service: DeployableName): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'services', service, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

export function tableLines(): string[] {
  return [...startOrder().map((s) => `${s} ${SERVICES[s].port}`), `${STOREFRONT.name} ${STOREFRONT.port}`, `${LOAD_GENERATOR.name} ${LOAD_GENERATOR.port}`];
}

export function envLines(service: DeployableName, inherited: Record<string, string | undefined>): string[] {
  const own =
    service === STOREFRONT.name
      ? localStorefrontEnv(inherited)
      : service === LOAD_GENERATOR.name
        ? localLoadGeneratorEnv(inherited)
        : localServiceEnv(service, inherited);
  const env = { ...own, SERVICE_VERSION: serviceVersion(service) };
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}

function isDeployableName(name: string | undefined): name is DeployableName {
  return (DEPLOYABLE_NAMES as readonly string[]).includes(name ?? '');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [command, name] = process.argv.slice(2);
  if (command === 'table') {
    process.stdout.write(`${tableLines().join('\n')}\n`);
  } else if (command === 'env' && isDeployableName(name)) {
    process.stdout.write(`${envLines(name, process.env).join('\n')}\n`);
  } else {
    process.stderr.write(`usage: node scripts/local/service-env.ts table | env <${DEPLOYABLE_NAMES.join('|')}>\n`);
    process.exit(64);
  }
}
