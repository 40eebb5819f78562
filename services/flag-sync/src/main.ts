// flag-sync: wiring. In the flagd pod of the chart, beside flagd: follows
// the fault flags' ConfigMap through the Kubernetes API (its own service
// account may read only that ConfigMap) and writes each version to the file
// flagd syncs from, so `shopctl flags --context` reaches every service in
// seconds with no restart (docs/flags.md).
//   node --import @shop/kit/telemetry/register src/main.ts
import { KubeConfig } from '@kubernetes/client-node';
import { flagdDocument } from '@shop/contracts';
import { loadConfigOrExit, runService } from '@shop/kit';
import { buildApp } from './app.ts';
import { configSpec, SERVICE_NAME } from './config.ts';
import { ConfigMapFollower } from './configmap-follower.ts';
import { FlagsFile } from './flags-file.ts';

const config = loadConfigOrExit(SERVICE_NAME, configSpec);
const file = new FlagsFile(config.file);
const app = buildApp({ file, logLevel: config.logLevel });

const kube = new KubeConfig();
// In a pod: the service account's token and the API server's Service; elsewhere ($KUBECONFIG, ~/.kube/config) for trying it out.
kube.loadFromDefault();

const configMap = `${config.namespace}/${config.configMap}`;
const follower = new ConfigMapFollower({
  kube,
  namespace: config.namespace,
  name: config.configMap,
  key: config.key,
  log: app.log,
  onValue: async (value) => {
    const outcome = await file.write(value);
    if (outcome === 'written') app.log.info({ configmap: configMap, file: file.path }, 'flag definitions written for flagd');
    else if (outcome !== 'unchanged') app.log.warn({ configmap: configMap, reason: outcome.refused }, 'not a flagd document; the flags stay as they are');
  },
  // With no ConfigMap to read, flagd still starts, with every flag off: the shop as configured.
  onFirstReadFailed: async () => {
    if (!file.written) await file.write(`${JSON.stringify(flagdDocument(), null, 2)}\n`);
  },
});
app.addHook('onClose', async () => follower.stop());

await follower.start();
app.log.info({ configmap: configMap, key: config.key, file: config.file }, 'flag-sync configured');
await runService(app, { port: config.port, host: config.host });
