import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { loadKubeConfig } from './kubeconfig.ts';

const dir = mkdtempSync(join(tmpdir(), 'shopctl-kubeconfig-'));
after(() => rmSync(dir, { recursive: true, force: true }));
// Placeholder credentials: nothing here authenticates anywhere.
function kubeconfig(name: string, contexts: string[], current = contexts[0] ?? ''): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{ name: c, cluster: { server: "https://127.0.0.1:6443" } }]',
      'users: [{ name: u, user: { token: placeholder } }]',
      `contexts: [${contexts.map((c) => `{ name: ${c}, context: { cluster: c, user: u } }`).join(', ')}]`,
      `current-context: "${current}"`,
    ].join('\n'),
  );
  return file;
}

test('without any kubeconfig the error says there is no kube context and what to pass', () => {
  assert.throws(() => loadKubeConfig({}, { HOME: dir }), {
    message: 'no kube context: no kubeconfig found (KUBECONFIG is unset and ~/.kube/config does not exist); pass --kubeconfig FILE',
  });
});

test('--context picks a context; an unknown one is named with the ones that exist', () => {
  const file = kubeconfig('two', ['kind-shop', 'prod']);
  const loaded = loadKubeConfig({ kubeconfig: file, context: 'prod' }, {});
  assert.equal(loaded.context, 'prod');
  assert.equal(loaded.server, 'https://127.0.0.1:6443');
  assert.throws(() => loadKubeConfig({ kubeconfig: file, context: 'staging' }, {}), {
    message: `no kube context "staging" in ${file} (contexts: kind-shop, prod)`,
  });
});

test('KUBECONFIG may list several files, merged as kubectl does (first one wins, duplicates allowed)', () => {
  const a = kubeconfig('a', ['from-a']);
  const b = kubeconfig('b', ['from-b'], 'from-b');
  assert.equal(loadKubeConfig({}, { KUBECONFIG: [a, b].join(delimiter) }).context, 'from-a');
  assert.equal(loadKubeConfig({ context: 'from-b' }, { KUBECONFIG: [a, b].join(delimiter) }).context, 'from-b');
  const unset = kubeconfig('unset', ['u'], '');
  assert.equal(loadKubeConfig({}, { KUBECONFIG: [unset, b].join(delimiter) }).context, 'from-b', 'current-context from the first file that sets one');
});

test('a kubeconfig without a current context, or a missing file, is one clear line', () => {
  const file = kubeconfig('none-current', ['x'], '');
  assert.throws(() => loadKubeConfig({ kubeconfig: file }, {}), { message: `no kube context: ${file} has no current context; pass --context (contexts: x)` });
  assert.throws(() => loadKubeConfig({ kubeconfig: join(dir, 'nope') }, {}), { message: `kubeconfig ${join(dir, 'nope')} does not exist` });
});
