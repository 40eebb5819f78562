# Proof targets: the fault suite and the benchmark, both against `make local`
# on this machine (docs/proof.md). Included by the root Makefile (which puts
# Node 24 on PATH). The local stack is shared: these targets take the stack
# lock for their whole run (pass STACK_LOCK= when the caller already holds
# it). -o: the lock's file descriptor is closed before the command runs, so
# the services and servers it (re)starts do not inherit it and keep the lock
# held after the command has ended.

STACK_LOCK ?= /tmp/otel-shop-stack.lock
WITH_STACK_LOCK = $(if $(STACK_LOCK),flock -o -w 900 $(STACK_LOCK))

.PHONY: chaos bench bench-profile bench-sweep bench-cpu bench-flags bench-tail proof-test

chaos: ## fault suite: SIGKILL each service, Kafka, PostgreSQL, Redis under load; check the invariants (proof/chaos/results/latest.md)
	$(WITH_STACK_LOCK) node proof/chaos/src/main.ts

bench: ## orders/s and p50/p99 with telemetry off / 0.1 / 1.0 vs the pgbench floor (proof/bench/results/latest.md)
	$(WITH_STACK_LOCK) node proof/bench/src/main.ts

bench-profile: ## CPU profile of the five services under the bench load (sampling 0.1); top frames in proof/bench/results/profile-latest.md
	$(WITH_STACK_LOCK) node proof/bench/src/profile.ts

proof-test: ## unit tests of the chaos and bench harnesses (no stack needed)
	node --test 'proof/chaos/src/**/*.test.ts' 'proof/bench/src/**/*.test.ts'

bench-sweep: ## orders/s and p50/p99 at concurrency 1, 2, 4, 8, 16, 32 (telemetry off): where the bench's concurrency comes from
	$(WITH_STACK_LOCK) node proof/bench/src/sweep.ts

bench-cpu: ## CPU ms per order of each process (services, PostgreSQL, Kafka, Redis, Jaeger, load generator), telemetry off vs 0.1
	$(WITH_STACK_LOCK) node proof/bench/src/cpu.ts

bench-flags: ## what the fault flags cost: the same build with flagd's provider on (every flag off, evaluated per request) vs off, interleaved (proof/bench/results/flags-latest.md)
	$(WITH_STACK_LOCK) node proof/bench/src/flags.ts

bench-tail: ## where the p99 comes from: the slowest orders' traces split into per-service, database and hop parts, against the median's (proof/bench/results/tail-latest.md)
	$(WITH_STACK_LOCK) node proof/bench/src/tail.ts
