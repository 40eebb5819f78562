-- Seed catalogue (prices in integer cents, USD). Tests and demos depend on:
--   PROD-123  large stock, so many tests and load runs can order it
--   PROD-999  priced above the payment card limit (100000): payment declines it
--   PROD-LOW  stock 5, for running out of stock by hand
-- ON CONFLICT keeps the seed harmless on a database that already has them.
INSERT INTO "products" ("id", "name", "price_cents", "currency", "stock") VALUES
	('PROD-123', 'Wireless Mouse', 2999, 'USD', 1000000),
	('PROD-456', 'Mechanical Keyboard', 8999, 'USD', 10000),
	('PROD-789', 'USB-C Hub', 4599, 'USD', 10000),
	('PROD-321', '27-inch Monitor', 32900, 'USD', 1000),
	('PROD-654', 'Laptop Stand', 3999, 'USD', 5000),
	('PROD-888', 'Noise-Cancelling Headphones', 19900, 'USD', 2000),
	('PROD-999', 'Workstation Laptop', 250000, 'USD', 1000000),
	('PROD-LOW', 'Limited Edition Keycap Set', 7500, 'USD', 5)
ON CONFLICT ("id") DO NOTHING;
