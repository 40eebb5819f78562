// Which cluster, as kubectl would pick it: --kubeconfig, else $KUBECONFIG
// (a path list), else ~/.kube/config, else the in-cluster service account;
// then --context, else the file's current context. Every way this can fail
// ends in one line that says what to pass.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { CliError } from '../cli/errors.ts';

export interface KubeTarget {
  kubeconfig?: string | undefined;
  context?: string | undefined;
}

export interface LoadedKubeConfig {
  config: KubeConfig;
  context: string;
  server: string;
}

function kubeconfigFiles(target: KubeTarget, env: NodeJS.ProcessEnv): string[] {
  if (target.kubeconfig) return [target.kubeconfig];
  if (env.KUBECONFIG) return env.KUBECONFIG.split(delimiter).filter(Boolean);
  const home = join(env.HOME ?? homedir(), '.kube', 'config');
  return existsSync(home) ? [home] : [];
}

export function loadKubeConfig(target: KubeTarget, env: NodeJS.ProcessEnv = process.env): LoadedKubeConfig {
  const config = new KubeConfig();
  const files = kubeconfigFiles(target, env);
  if (files.length === 0) {
    if (env.KUBERNETES_SERVICE_HOST && !target.context) {
      config.loadFromCluster();
    } else {
      throw new CliError('no kube context: no kubeconfig found (KUBECONFIG is unset and ~/.kube/config does not exist); pass --kubeconfig FILE');
    }
  }
  for (const [i, file] of files.entries()) {
    if (!existsSync(file)) throw new CliError(`kubeconfig ${file} does not exist`);
    const part = i === 0 ? config : new KubeConfig();
    try {
      part.loadFromFile(file);
    } catch (error) {
      throw new CliError(`kubeconfig ${file} cannot be read: ${(error as Error).message}`);
    }
    if (part !== config) mergeFirstWins(config, part);
  }
  const contexts = config.getContexts().map((c) => c.name);
  const where = files.join(delimiter) || 'the in-cluster configuration';
  if (target.context) {
    if (!contexts.includes(target.context)) {
      throw new CliError(`no kube context "${target.context}" in ${where} (contexts: ${contexts.join(', ') || 'none'})`);
    }
    config.setCurrentContext(target.context);
  }
  const context = config.getCurrentContext();
  if (!context || !contexts.includes(context)) {
    throw new CliError(`no kube context: ${where} has no current context; pass --context (contexts: ${contexts.join(', ') || 'none'})`);
  }
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new CliError(`kube context "${context}" names no cluster in ${where}`);
  return { config, context, server: cluster.server };
}

/**
 * kubectl's merge of a KUBECONFIG list: the first file to name a cluster,
 * user or context (or to set current-context) wins. client-node's own
 * mergeConfig throws on a duplicate name instead.
 */
function mergeFirstWins(into: KubeConfig, from: KubeConfig): void {
  for (const cluster of from.getClusters()) if (!into.getCluster(cluster.name)) into.addCluster(cluster);
  for (const user of from.getUsers()) if (!into.getUser(user.name)) into.addUser(user);
  for (const context of from.getContexts()) if (!into.getContextObject(context.name)) into.addContext(context);
  if (!into.getCurrentContext() && from.getCurrentContext()) into.setCurrentContext(from.getCurrentContext());
}
