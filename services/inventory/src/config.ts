// inventory-service configuration, read from the environment at start.
import { SERVICES, localDatabaseUrl, serviceDatabase } from '@shop/contracts';
import { boolean, integer, port, string, url } from '@shop/kit';

export const SERVICE_NAME = SERVICES.inventory.otelName;

export const configSpec = {
  port: port('PORT', SERVICES.inventory.port),
  host: string('HOST', { default: '0.0.0.0' }),
  databaseUrl: url('DATABASE_URL', {
    protocols: ['postgres:', 'postgresql:'],
    default: localDatabaseUrl(serviceDatabase('inventory')),
  }),
  databasePoolSize: integer('DATABASE_POOL_SIZE', { default: 10, min: 1, max: 100 }),
  migrateOnStart: boolean('MIGRATE_ON_START', true),
  logLevel: string('LOG_LEVEL', { default: 'info' }),
};
