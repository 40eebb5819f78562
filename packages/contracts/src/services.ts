// The service table: each of the five services' name, port, OTel
// service.name (dashboards and tests query it), the PostgreSQL database it
// owns, what else it uses, and the peers it calls. `make local`
// (scripts/local/service-env.ts), the services' config defaults, the cdk8s app,
// shopctl and the proof harnesses all read it from here.

export const SERVICE_NAMES = ['gateway', 'order', 'inventory', 'payment', 'notification'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceSpec {
  /** OTel service.name. */
  otelName: string;
  port: number;
  /** PostgreSQL database it owns, if any. */
  database?: string;
  redis?: boolean;
  kafka?: boolean;
  /** Peers it calls over HTTP, each given as `<PEER>_URL` (ORDER_URL, INVENTORY_URL, PAYMENT_URL). */
  calls: readonly ServiceName[];
}

export const SERVICES: Readonly<Record<ServiceName, ServiceSpec>> = {
  gateway: { otelName: 'gateway', port: 8080, redis: true, calls: ['order', 'inventory'] },
  order: { otelName: 'order-service', port: 8081, database: 'orders', kafka: true, calls: ['inventory', 'payment'] },
  inventory: { otelName: 'inventory-service', port: 8082, database: 'inventory', calls: [] },
  payment: { otelName: 'payment-service', port: 8083, redis: true, calls: [] },
  notification: { otelName: 'notification-service', port: 8084, database: 'notifications', kafka: true, calls: [] },
};

/** The PostgreSQL role every service connects as (each to its own database). */
export const DATABASE_USER = 'shop';

/** The database a service owns (for the services that have one). */
export function serviceDatabase(service: ServiceName): string {
  const database = SERVICES[service].database;
  if (database === undefined) throw new Error(`${service} owns no database`);
  return database;
}

function ownedDatabases(): readonly [string, ...string[]] {
  const [first, ...rest] = SERVICE_NAMES.flatMap((s) => SERVICES[s].database ?? []);
  if (first === undefined) throw new Error('no service owns a database');
  return [first, ...rest];
}

/** Every database some service owns, in the table's order. */
export const DATABASES = ownedDatabases();

/** Start order for one host: callees before their callers. */
export function startOrder(): ServiceName[] {
  const order: ServiceName[] = [];
  const visit = (s: ServiceName): void => {
    if (order.includes(s)) return;
    for (const peer of SERVICES[s].calls) visit(peer);
    order.push(s);
  };
  // Consumers of Kafka come after the producer they wait for; plain table order otherwise.
  for (const s of SERVICE_NAMES) visit(s);
  return order;
}

/** The environment variable a caller reads a peer's address from. */
export function peerUrlVariable(peer: ServiceName): string {
  return `${peer.toUpperCase()}_URL`;
}
