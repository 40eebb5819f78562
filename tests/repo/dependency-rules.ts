// The direction of dependencies, as data: every TypeScript file belongs to
// one unit (a library, a deployable, an entry point or test code), and each
// unit names the units it may import. Entry points (bin/) are imported by
// nobody; libraries never import what is built on them; test code may lean
// on libraries, never the other way round. Besides the kit and the
// contracts, packages/ holds libraries the deployables and harnesses share
// (packages/load: the load engine of shopctl and the load generator;
// packages/traces: traces read back from Jaeger); they
// import the contracts alone. imports-point-one-way.test.ts
// applies these rules to every import in the tree.
import { readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';

export type Unit = string;

/** The unit a repository-relative path belongs to, or undefined for files no rule covers. */
export function unitOf(path: string): Unit | undefined {
  const parts = path.split('/');
  const isTest = /\.(test|k8s-test|image-test|cluster-test)\.ts$/.test(path);
  const [top, second] = parts;
  switch (top) {
    case 'packages':
      if (second === 'kit') return parts[2] === 'test' || isTest ? 'kit:test' : 'kit';
      if (second === 'contracts') return isTest ? 'contracts:test' : 'contracts';
      return parts[2] === 'test' || isTest ? `package-test:${second}` : `package:${second}`;
    case 'services': {
      const inTest = parts[2] === 'test' || isTest;
      if (parts[2] === 'bin') return `service-bin:${second}`;
      return inTest ? `service-test:${second}` : `service:${second}`;
    }
    case 'cdk8s':
      if (second === 'bin') return 'cdk8s-bin';
      if (second === 'test' || isTest) return 'cdk8s-test';
      return 'cdk8s';
    case 'cli':
      if (second === 'bin') return 'cli-bin';
      if (parts.includes('test-support') || isTest) return 'cli-test';
      return 'cli';
    case 'proof':
      return 'proof';
    case 'scripts':
      return 'scripts';
    case 'tests':
      return 'system-tests';
    default:
      return undefined;
  }
}

const SERVICE = /^service:(.+)$/;
const SHARED_LIBRARY = /^package:.+$/;

/** Whether code of unit `from` may import code of unit `to`. */
export function mayImport(from: Unit, to: Unit): boolean {
  if (from === to) return true;
  const service = (u: Unit) => SERVICE.exec(u)?.[1];
  // A shared library of packages/ is open to the services, shopctl and the harnesses (and their tests, the kit's too).
  if (SHARED_LIBRARY.test(to) && (/^service(-test)?:/.test(from) || ['cli', 'cli-test', 'proof', 'system-tests', 'kit:test'].includes(from))) return true;
  switch (true) {
    case from === 'contracts':
      return false;
    case from === 'contracts:test':
      return to === 'contracts';
    case from === 'kit':
      return to === 'contracts';
    case from === 'kit:test':
      return ['kit', 'contracts'].includes(to);
    case SHARED_LIBRARY.test(from):
      return to === 'contracts';
    case from.startsWith('package-test:'):
      return to === `package:${from.slice('package-test:'.length)}` || to === 'contracts';
    case from.startsWith('service:'):
      return ['kit', 'contracts'].includes(to);
    case from.startsWith('service-test:'):
      return to === `service:${from.slice('service-test:'.length)}` || ['kit', 'kit:test', 'contracts'].includes(to);
    case from.startsWith('service-bin:'):
      return to === `service:${from.slice('service-bin:'.length)}` || ['kit', 'contracts'].includes(to);
    case from === 'cdk8s':
      return to === 'contracts';
    case from === 'cdk8s-test':
      return ['cdk8s', 'contracts'].includes(to);
    case from === 'cdk8s-bin':
      return ['cdk8s', 'contracts'].includes(to);
    case from === 'cli':
      return to === 'contracts';
    case from === 'cli-test':
      return ['cli', 'cdk8s', 'contracts', 'kit:test'].includes(to);
    case from === 'cli-bin':
      return to === 'cli';
    case from === 'proof':
      return ['cli', 'contracts', 'kit'].includes(to);
    case from === 'scripts':
      return to === 'contracts';
    case from === 'system-tests':
      // System tests drive everything built; entry points and the proof harnesses stay out.
      return service(to) !== undefined || ['kit', 'kit:test', 'contracts', 'cdk8s', 'cli', 'cli-test'].includes(to);
    default:
      return false;
  }
}

interface Workspace {
  dir: string;
  exports: Record<string, string>;
}

/** The workspaces by package name, from the root package.json's workspace globs (as git lists them). */
export function readWorkspaces(root: string, listed: string[]): Map<string, Workspace> {
  const patterns = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
  const dirs = listed
    .filter((f) => f.endsWith('/package.json'))
    .map((f) => dirname(f))
    .filter((d) => patterns.some((p) => (p.endsWith('/*') ? dirname(d) === p.slice(0, -2) : d === p)));
  const map = new Map<string, Workspace>();
  for (const dir of dirs) {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { name: string; exports?: Record<string, string> };
    map.set(pkg.name, { dir, exports: pkg.exports ?? {} });
  }
  return map;
}

/** The repository-relative file an import specifier names, or undefined for a third-party package or node: builtin. */
export function resolveImport(root: string, from: string, specifier: string, workspaces: Map<string, Workspace>): string | undefined {
  if (specifier.startsWith('.')) return relative(root, resolve(root, dirname(from), specifier));
  const m = /^(@shop\/[^/]+)(\/.*)?$/.exec(specifier);
  if (!m) return undefined;
  const ws = workspaces.get(m[1]!);
  if (!ws) return `<unknown workspace ${m[1]}>`;
  const sub = `.${m[2] ?? ''}`;
  let target = ws.exports[sub];
  if (!target) {
    for (const [key, value] of Object.entries(ws.exports)) {
      if (!key.endsWith('*') || !sub.startsWith(key.slice(0, -1))) continue;
      target = value.replace('*', sub.slice(key.length - 1));
    }
  }
  return target ? posix.join(ws.dir, target) : `<not exported: ${specifier}>`;
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** The module specifiers a source file imports (static, side-effect and dynamic imports). */
export function importsOf(source: string): string[] {
  return [...source.matchAll(IMPORT)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}
