// inventory-service entry point:
//   node --import @shop/kit/telemetry/register src/main.ts
import { createPostgres, loadConfigOrExit, runMigrations, runService } from '@shop/kit';
import { buildApp } from './app.ts';
import { configSpec, SERVICE_NAME } from './config.ts';
import { MIGRATIONS_FOLDER } from './db/migrations.ts';

const config = loadConfigOrExit(SERVICE_NAME, configSpec);

if (config.migrateOnStart) {
  try {
    await runMigrations(config.databaseUrl, MIGRATIONS_FOLDER);
  } catch (err) {
    // Not ready to serve without its schema: one clear line, and the
    // supervisor (kubelet, make local) starts us again.
    process.stderr.write(`${SERVICE_NAME}: migrations failed: ${(err as Error).message}\n`);
    process.exit(1);
  }
}

const sql = createPostgres(config.databaseUrl, { max: config.databasePoolSize, applicationName: SERVICE_NAME });
const app = buildApp({ sql, logLevel: config.logLevel });
app.addHook('onClose', async () => {
  await sql.end({ timeout: 5 });
});

await runService(app, { port: config.port, host: config.host });
