// flag-sync as a Fastify app on the kit's createService: health, and
// readiness once flagd has a document to serve (the chart starts flagd
// only then: flag-sync is its native sidecar, with a startup probe).
import { createService, type App, type LogOptions } from '@shop/kit';
import { SERVICE_NAME } from './config.ts';
import type { FlagsFile } from './flags-file.ts';

export interface AppDeps extends LogOptions {
  file: Pick<FlagsFile, 'written' | 'path'>;
}

export function buildApp(deps: AppDeps): App {
  return createService({
    name: SERVICE_NAME,
    logLevel: deps.logLevel,
    logStream: deps.logStream,
    readiness: {
      flags: async () => {
        if (!deps.file.written) throw new Error(`no flag definitions written to ${deps.file.path} yet`);
      },
    },
  });
}
