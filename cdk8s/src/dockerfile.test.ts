// The one Dockerfile: Node 24 as .nvmrc pins it, production dependencies of
// the chosen service and the kit only, a numeric non-root user matching the
// pods' runAsUser, the services' own start command. And what ships is
// enough: every package the services import at run time is a production
// dependency of the service or of the kit (what `npm ci --omit=dev
// --workspace ...` installs), and .dockerignore keeps tests and tooling out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SERVICE_UID } from './constructs/node-workload.ts';
import { IMAGE_NAMES, SERVICES, SERVICE_NAMES } from './model/topology.ts';
import { ROOT } from '../test/test-support.ts';

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const stages: string[][] = [];
for (const l of instructions) {
  if (l.startsWith('FROM ')) stages.push([l]);
  else stages.at(-1)?.push(l);
}
const final = stages.at(-1)!;

test('multi-stage, on the Node version of .nvmrc, Alpine', () => {
  const nvmrc = readFileSync(join(ROOT, '.nvmrc'), 'utf8').trim().replace(/^v/, '');
  assert.match(nvmrc, /^24\./);
  assert.ok(instructions.includes(`ARG NODE_VERSION=${nvmrc}`), `ARG NODE_VERSION=${nvmrc}`);
  assert.ok(stages.length >= 2);
  for (const s of stages) assert.match(s[0]!, /^FROM node:\$\{NODE_VERSION\}-alpine( AS \w+)?$/);
});

test('production dependencies of the one service and the kit, from the lockfile', () => {
  const ci = instructions.find((l) => /\bnpm ci\b/.test(l));
  assert.ok(ci, 'npm ci');
  assert.match(ci, /--omit=dev/);
  assert.match(ci, /--workspace services\/\$\{SERVICE\}/);
  assert.match(ci, /--workspace packages\/kit/);
  assert.ok(instructions.some((l) => l.startsWith('COPY package.json package-lock.json')));
  assert.ok(
    stages[0]!.some((l) => l.includes('$SERVICE') && l.includes('exit 1')),
    'a missing or unknown SERVICE fails the build',
  );
});

test('the build arg takes exactly our images (IMAGE_NAMES), as make images builds them', () => {
  const accepted = /case "\$SERVICE" in ([a-z|-]+)\)/.exec(dockerfile)?.[1]?.split('|');
  assert.deepEqual(accepted, [...IMAGE_NAMES]);
  const built = /^IMAGE_SERVICES=\(([^)]*)\)/m.exec(readFileSync(join(ROOT, 'scripts', 'images', 'lib.sh'), 'utf8'))?.[1]?.split(' ');
  assert.deepEqual(built, [...IMAGE_NAMES]);
});

test("runs as the numeric non-root user the pods expect, with the services' start command", () => {
  const user = final.filter((l) => l.startsWith('USER ')).at(-1);
  assert.equal(user, `USER ${SERVICE_UID}:${SERVICE_UID}`);
  assert.ok(SERVICE_UID > 0);
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the Dockerfile's own ${SERVICE}, literally
  assert.ok(final.includes('WORKDIR /app/services/${SERVICE}'));
  const cmd = JSON.parse(final.find((l) => l.startsWith('CMD '))!.slice(4)) as string[];
  for (const s of SERVICE_NAMES) {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'services', s, 'package.json'), 'utf8'));
    assert.equal(cmd.join(' '), pkg.scripts.start, `${s}: the image runs \`npm start\`'s command`);
    if (SERVICES[s].database) assert.ok(existsSync(join(ROOT, 'services', s, 'src', 'db', 'migrate.ts')), `${s}: src/db/migrate.ts`);
  }
  assert.ok(!final.some((l) => /npm (install|ci)|devDependencies/.test(l)), 'nothing is installed in the final stage');
});

const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

test('.dockerignore keeps dependencies, state, tests and tooling out of the build context', () => {
  for (const p of ['**/node_modules', '.git', '.local', 'tests', 'cdk8s', 'charts', '**/*.test.ts', 'services/*/test']) {
    assert.ok(dockerignore.includes(p), `.dockerignore: ${p}`);
  }
});

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.k8s-test.ts') ? [p] : [];
  });
}

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Packages a file needs at run time (type-only imports are erased). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'([^']+)'/gm)) if (!m[2]) out.push(m[3]!);
  for (const m of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) out.push(m[1]!);
  return out.filter((s) => !s.startsWith('.') && !BUILTINS.has(s)).map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!));
}

test('every package an image imports at run time is a production dependency of its workspace or the kit', () => {
  const kit = JSON.parse(readFileSync(join(ROOT, 'packages', 'kit', 'package.json'), 'utf8'));
  const problems: string[] = [];
  // Not the storefront: its src/assets/ build runs in the assets stage, with its dev dependencies.
  for (const s of IMAGE_NAMES.filter((name) => name !== 'storefront')) {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'services', s, 'package.json'), 'utf8'));
    const installed = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(kit.dependencies ?? {}), '@shop/kit']);
    for (const file of [...sources(join(ROOT, 'services', s, 'src')), ...sources(join(ROOT, 'packages', 'kit', 'src'))]) {
      for (const p of runtimeImports(file))
        if (!installed.has(p)) problems.push(`${relative(ROOT, file)} imports ${p} (not in ${s}'s or the kit's dependencies)`);
    }
  }
  assert.deepEqual([...new Set(problems)], []);
});

test('every workspace package a deployable depends on is in the image: its manifest before npm ci, its sources after', () => {
  const workspaces = new Map<string, string>([
    ['@shop/kit', 'packages/kit'],
    ['@shop/contracts', 'packages/contracts'],
    ['@shop/load', 'packages/load'],
    ['@shop/traces', 'packages/traces'],
  ]);
  const ci = instructions.find((l) => /\bnpm ci\b/.test(l))!;
  for (const s of IMAGE_NAMES) {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'services', s, 'package.json'), 'utf8'));
    for (const dep of Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith('@shop/'))) {
      const dir = workspaces.get(dep);
      assert.ok(dir, `${s} depends on ${dep}: which directory is it?`);
      assert.ok(stages[0]!.includes(`COPY ${dir}/package.json ${dir}/`), `${dep}: manifest copied before npm ci`);
      assert.match(ci, new RegExp(`--workspace ${dir}\\b`), `${dep}: installed by npm ci`);
      assert.ok(final.includes(`COPY ${dir} ${dir}`), `${dep}: sources copied`);
      assert.ok(!dockerignore.includes(dir), `${dep}: not in .dockerignore`);
    }
  }
});
