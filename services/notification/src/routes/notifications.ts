// GET /notifications?order_id=... : what was done for an order's events.
import { NotificationsQuery as Query } from '@shop/contracts';
import type { App } from '@shop/kit';
import type { Database } from '../db/client.ts';
import { notificationsForOrder } from '../domain/notifications-repo.ts';

export async function notificationRoutes(app: App, options: { db: Database }): Promise<void> {
  app.get('/notifications', { schema: { querystring: Query } }, async (request) => {
    const rows = await notificationsForOrder(options.db, request.query.order_id);
    return {
      notifications: rows.map((row) => ({
        event_id: row.eventId,
        order_id: row.orderId,
        channel: row.channel,
        status: row.status,
        attempts: row.attempts,
        created_at: row.createdAt.toISOString(),
        sent_at: row.sentAt?.toISOString() ?? null,
      })),
    };
  });
}
