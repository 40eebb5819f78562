// shopctl flags: the fault flags (docs/flags.md): list them, set one, reset
// one or all. Against make local's flags file by default, which flagd
// watches; against a cluster's ConfigMap with --context (or --kubeconfig,
// --namespace), through the Kubernetes API. The services follow within
// seconds, no restart.
import { CLUSTER_FLAGS, FLAG_NAMES, FLAGS, flagWhere, localFlagdOfrepUrl, parseFlagValue, type FlagName } from '@shop/contracts';
import { parseCommandArgs, writeJson, writeLines, type Command, type CommandIO } from '../cli/command.ts';
import { CliError, EXIT_OK, UsageError } from '../cli/errors.ts';
import { styleFor } from '../cli/style.ts';
import { FlagsChangedMeanwhile, type FlagStore, type FlagValues } from '../flags/flag-store.ts';
import { LocalFileStore, localFlagsFile } from '../flags/local-file-store.ts';
import { flagRows, renderFlags, unitOf } from '../flags/render-flags.ts';

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
} as const;

const HELP = `Usage: shopctl flags [list] [--json]
       shopctl flags set NAME VALUE
       shopctl flags reset [NAME]

The fault flags: each breaks one thing in the shop on purpose, live, with no
restart (docs/flags.md). Off (the default), a service does what its
configuration says; set, the flag's value replaces that. A value is checked
against the flag's type and bounds: a bad one is one line and exit 2.

  list                 every flag, its value or "off", its unit, what it does
  set NAME VALUE       turn NAME on with VALUE (a number, or true/false)
  reset [NAME]         turn NAME off; without NAME, every flag
  --json               machine-readable output

Flags:
${FLAG_NAMES.map((name) => `  ${name.padEnd(20)} ${unitOf(FLAGS[name]).padEnd(10)} ${flagWhere(FLAGS[name])}`).join('\n')}

Local mode: make local's flags file, ${localFlagsFile({})}
($SHOP_STATE_DIR/flags/... when set), which flagd reads every second; after a
change shopctl waits (up to 5 s) until flagd serves it, asking flagd's OFREP
endpoint ($SHOP_FLAGD_OFREP_URL, default ${localFlagdOfrepUrl()}).

Cluster mode (--context NAME, --kubeconfig FILE, -n/--namespace NS, default
shop): the ConfigMap ${CLUSTER_FLAGS.configMap} the chart installs (flags.enabled), read and
rewritten through the Kubernetes API; flagd's sidecar follows it within a
second. Who may change it is RBAC's decision: bind the chart's Role
${CLUSTER_FLAGS.editorRole} (get, update, patch on that ConfigMap alone), e.g.
  kubectl create rolebinding flags-$USER -n shop --role=${CLUSTER_FLAGS.editorRole} --user=$USER
A change made by someone else meanwhile is never overwritten: shopctl reads
again and applies yours on top. After a change shopctl asks flagd (up to
15 s) through a port-forward, which needs pods/portforward too; without it
the change still applies.`;

const CLUSTER_NAMESPACE = 'shop';
/**
 * Attempts of read-change-write when someone else changes the flags in
 * between. Of n writers racing, one wins each round, so the last needs n
 * attempts; the random pause between them spreads the rounds apart.
 */
const ATTEMPTS = 10;
const RETRY_PAUSE_MS = { min: 20, max: 200 };

async function storeFor(
  values: { context?: string | undefined; kubeconfig?: string | undefined; namespace?: string | undefined },
  io: CommandIO,
): Promise<FlagStore> {
  if (values.context || values.kubeconfig || values.namespace) {
    // Loaded here, not at start-up: client-node takes about a second to import.
    const { loadKubeConfig } = await import('../kube/kubeconfig.ts');
    const { ClusterStore } = await import('../flags/cluster-store.ts');
    const kube = loadKubeConfig({ kubeconfig: values.kubeconfig, context: values.context }, io.env);
    return new ClusterStore({ kube, namespace: values.namespace ?? CLUSTER_NAMESPACE });
  }
  return new LocalFileStore({ file: localFlagsFile(io.env), ...(io.env.SHOP_FLAGD_OFREP_URL ? { ofrepUrl: io.env.SHOP_FLAGD_OFREP_URL } : {}) });
}

function flagName(raw: string | undefined, usage: string): FlagName {
  if (raw === undefined) throw new UsageError(`${usage} (see shopctl flags --help)`);
  if (!(FLAG_NAMES as string[]).includes(raw)) throw new UsageError(`no flag ${raw}: one of ${FLAG_NAMES.join(', ')}`);
  return raw as FlagName;
}

async function run(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, true);
  if (values.help) {
    io.stdout.write(`${HELP}\n`);
    return EXIT_OK;
  }
  const [action = 'list', ...rest] = positionals;
  const arity: Record<string, [number, number, string]> = {
    list: [0, 0, 'shopctl flags list takes no arguments'],
    set: [2, 2, 'shopctl flags set needs NAME VALUE'],
    reset: [0, 1, 'shopctl flags reset takes at most one NAME'],
  };
  const expected = arity[action];
  if (!expected) throw new UsageError(`unknown action "${action}": list, set or reset (see shopctl flags --help)`);
  if (rest.length < expected[0] || rest.length > expected[1]) throw new UsageError(`${expected[2]} (see shopctl flags --help)`);

  // Everything about the command line is checked before the store is touched.
  let change: ((current: FlagValues) => FlagValues) | undefined;
  let said = '';
  if (action === 'set') {
    const name = flagName(rest[0], 'shopctl flags set needs NAME VALUE');
    const parsed = parseFlagValue(name, rest[1]!);
    if ('error' in parsed) throw new UsageError(parsed.error);
    change = (current) => ({ ...current, [name]: parsed.value });
    said = `${name} set to ${parsed.value}${FLAGS[name].type === 'number' ? ` (${unitOf(FLAGS[name])})` : ''}`;
  } else if (action === 'reset') {
    const name = rest[0] === undefined ? undefined : flagName(rest[0], '');
    change = (current) => {
      if (name === undefined) return {};
      const { [name]: _off, ...others } = current;
      return others;
    };
    said = name === undefined ? 'every flag off' : `${name} off`;
  }

  const store = await storeFor(values, io);
  try {
    const current = await store.read();
    if (!change) {
      if (values.json) writeJson(io, { source: store.where, flags: flagRows(current) });
      else writeLines(io.stdout, renderFlags(current, store.where, styleFor(io.stdout, io.env)));
      return EXIT_OK;
    }
    const next = await writeChange(store, current, change);
    const confirmed = (await store.confirm?.(next)) ?? '';
    if (values.json) writeJson(io, { source: store.where, changed: said, confirmed, flags: flagRows(next) });
    else writeLines(io.stdout, [`${said} in ${store.where}`, ...(confirmed ? [`  ${confirmed}`] : [])]);
    return EXIT_OK;
  } finally {
    await store.close();
  }
}

/** Applies `change` to what was read and writes it; when someone changed the flags meanwhile, reads again and reapplies. */
async function writeChange(store: FlagStore, first: FlagValues, change: (current: FlagValues) => FlagValues): Promise<FlagValues> {
  let current = first;
  for (let attempt = 1; ; attempt++) {
    const next = change(current);
    try {
      await store.write(next);
      return next;
    } catch (error) {
      if (!(error instanceof FlagsChangedMeanwhile)) throw error;
      if (attempt === ATTEMPTS) throw new CliError(`${store.where} kept changing under us (${ATTEMPTS} attempts): try again`);
      await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS.min + Math.random() * (RETRY_PAUSE_MS.max - RETRY_PAUSE_MS.min)));
      current = await store.read();
    }
  }
}

export const flagsCommand: Command = { name: 'flags', summary: 'the fault flags: list them, set one, reset one or all (no restart)', help: HELP, run };
