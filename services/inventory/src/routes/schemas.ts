// TypeBox shapes shared by the routes.
import { Type } from '@sinclair/typebox';

/** Product and order ids: short, printable, safe in URLs and logs. */
export const Id = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' });

export const ReservationBody = Type.Object(
  {
    order_id: Id,
    product_id: Id,
    // The database column is a 32-bit integer.
    quantity: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
  },
  { additionalProperties: false },
);

export const ReservationReply = Type.Object({
  order_id: Type.String(),
  product_id: Type.String(),
  quantity: Type.Integer(),
  status: Type.Union([Type.Literal('reserved'), Type.Literal('released')]),
});
