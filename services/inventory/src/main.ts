// inventory-service entry point:
//   node --import @shop/kit/telemetry/register src/main.ts
import { createPostgres, loadConfigOrExit, migrateOrExit, runService } from '@shop/kit';
import { buildApp } from './app.ts';
import { configSpec, SERVICE_NAME } from './config.ts';
import { MIGRATIONS_FOLDER } from './db/migrations.ts';

const config = loadConfigOrExit(SERVICE_NAME, configSpec);

if (config.migrateOnStart) await migrateOrExit(SERVICE_NAME, config.databaseUrl, MIGRATIONS_FOLDER);

const sql = createPostgres(config.databaseUrl, { max: config.databasePoolSize, applicationName: SERVICE_NAME });
const app = buildApp({ sql, logLevel: config.logLevel });
app.addHook('onClose', async () => {
  await sql.end({ timeout: 5 });
});

await runService(app, { port: config.port, host: config.host });
