-- A reservation in one round trip. The statements and their order are those
-- of the transaction the service used to send one by one (BEGIN, claim the
-- order id, conditional deduct, COMMIT): a function runs them in the
-- caller's single-statement transaction, each with its own snapshot, so the
-- same row lock serialises concurrent reserves and the database, never a
-- value read earlier, decides.
--   reserved            remaining = stock left after the deduct
--   replayed / conflict the order already holds a reservation (held_*):
--                       the same product and quantity, or another
--   insufficient_stock  available = stock now; nothing was written
--   unknown_product     nothing was written
--   price_changed       p_unit_price_cents (when given) is not the product's
--                       price any more: price_cents = the price now;
--                       nothing was written
CREATE OR REPLACE FUNCTION reserve_stock(p_order_id text, p_product_id text, p_quantity integer, p_unit_price_cents integer DEFAULT NULL)
RETURNS TABLE (outcome text, remaining integer, available integer, price_cents integer, held_product_id text, held_quantity integer, held_status text)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  held reservations%ROWTYPE;
  left_over integer;
  price_now integer;
BEGIN
  -- Claims the order id. Selecting from products makes an unknown product
  -- insert nothing (instead of failing on the foreign key); ON CONFLICT waits
  -- for a concurrent claim of the same order id to settle.
  -- A price the order did not see inserts nothing either.
  INSERT INTO reservations (order_id, product_id, quantity)
  SELECT p_order_id, p.id, p_quantity FROM products p
  WHERE p.id = p_product_id AND (p_unit_price_cents IS NULL OR p.price_cents = p_unit_price_cents)
  ON CONFLICT (order_id) DO NOTHING;
  IF NOT FOUND THEN
    SELECT * INTO held FROM reservations r WHERE r.order_id = p_order_id;
    IF FOUND THEN
      RETURN QUERY SELECT
        CASE WHEN held.product_id = p_product_id AND held.quantity = p_quantity THEN 'replayed' ELSE 'conflict' END::text,
        NULL::integer, NULL::integer, NULL::integer, held.product_id, held.quantity, held.status;
      RETURN;
    END IF;
    SELECT p.price_cents INTO price_now FROM products p WHERE p.id = p_product_id;
    IF NOT FOUND THEN
      RETURN QUERY SELECT 'unknown_product'::text, NULL::integer, NULL::integer, NULL::integer, NULL::text, NULL::integer, NULL::text;
      RETURN;
    END IF;
    RETURN QUERY SELECT 'price_changed'::text, NULL::integer, NULL::integer, price_now, NULL::text, NULL::integer, NULL::text;
    RETURN;
  END IF;
  -- The conditional deduct: the row lock serialises concurrent reserves and
  -- the WHERE is re-checked against the latest stock.
  UPDATE products p SET stock = p.stock - p_quantity, updated_at = now()
  WHERE p.id = p_product_id AND p.stock >= p_quantity
  RETURNING p.stock INTO left_over;
  IF NOT FOUND THEN
    -- Not enough: the claim is withdrawn (in this transaction, so no one
    -- ever sees it), as the old transaction's rollback did.
    DELETE FROM reservations r WHERE r.order_id = p_order_id;
    SELECT p.stock INTO left_over FROM products p WHERE p.id = p_product_id;
    RETURN QUERY SELECT 'insufficient_stock'::text, NULL::integer, coalesce(left_over, 0), NULL::integer, NULL::text, NULL::integer, NULL::text;
    RETURN;
  END IF;
  RETURN QUERY SELECT 'reserved'::text, left_over, NULL::integer, NULL::integer, p_product_id, p_quantity, 'reserved'::text;
END
$$;
