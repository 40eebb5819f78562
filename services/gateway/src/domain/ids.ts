// The shapes of identifiers the gateway accepts. Anything else is refused
// before it reaches a peer (no unicode look-alikes, control characters or
// path tricks travel further).
import { Type } from '@sinclair/typebox';

export const UserId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:@-]+$' });
/** Starts with a letter or digit, as inventory and order require: a leading '-' or '_' would pass here only to be refused there. */
export const ProductId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$' });
/** Order ids are UUIDs today; the pattern only fences what may be sent on. */
export const OrderId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
