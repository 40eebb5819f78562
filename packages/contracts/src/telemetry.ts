// The OpenTelemetry SDK settings every service runs with, wherever it runs:
// `make local` (localServiceEnv) and the cluster (the cdk8s ConfigMap) both
// take them from here, so a trace is sampled and exported alike in both.
// The sampling ratio is not among them: it differs on purpose (local and
// dev keep every trace, the production profile 0.1).

export const OTEL_DEFAULTS = {
  OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
  OTEL_METRIC_EXPORT_INTERVAL: '5000',
  OTEL_BSP_SCHEDULE_DELAY: '500',
} as const;

/**
 * The manual spans of the order path (docs/telemetry.md): dashboards, the
 * smoke check and the tests look for these names, so the services create
 * them from here.
 */
export const SPANS = {
  gatewayCreateOrder: 'gateway.createOrder',
  gatewayCallOrderService: 'gateway.callOrderService',
  orderCreate: 'order.create',
  orderCheckInventory: 'order.checkInventory',
  orderProcessPayment: 'order.processPayment',
  orderSaveDatabase: 'order.saveDatabase',
  orderSendNotification: 'order.sendNotification',
  inventoryGet: 'inventory.get',
  inventoryDeduct: 'inventory.deduct',
  paymentProcess: 'payment.process',
  notificationProcess: 'notification.process',
  notificationSend: 'notification.send',
} as const;

/**
 * The manual spans every created order's trace holds. `inventory.get` is not
 * among them: order prices from its product cache and asks inventory only
 * when the cache is cold.
 */
export const CREATED_ORDER_SPANS: readonly string[] = Object.values(SPANS).filter((name) => name !== SPANS.inventoryGet);
