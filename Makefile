# The front door. `make` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Every target runs on the pinned Node 24, provisioned into the cache when
# the system Node is older (see scripts/node.sh).
NODE_BIN := $(shell bash scripts/node.sh)
export PATH := $(NODE_BIN):$(PATH)

TEST_FILES := 'packages/*/src/**/*.test.ts' 'services/*/src/**/*.test.ts' 'services/*/web/**/*.test.ts' 'tests/**/*.test.ts' 'cdk8s/src/**/*.test.ts' 'cli/src/**/*.test.ts' 'proof/chaos/src/**/*.test.ts' 'proof/bench/src/**/*.test.ts'

.PHONY: help setup node_modules tools typecheck lint format infra-up infra-status infra-down local local-status local-down test

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

setup: node_modules tools ## Node 24 (if needed), npm dependencies and every tool the tests use (built once, cached)

# npm ci when the lockfile changed since the last install (npm writes
# node_modules/.package-lock.json): every target that runs our code needs it.
node_modules: node_modules/.package-lock.json
node_modules/.package-lock.json: package-lock.json
	@node --version
	npm ci --no-audit --no-fund --loglevel=error

tools: ## the infrastructure (apt packages, Kafka jars, Jaeger, flagd), Helm 4 and 3, the Strimzi CRDs, skaffold's schema, etcd, kube-apiserver, promtool, Sloth, Alertmanager, the PrometheusRule CRD
	bash scripts/local/infra.sh install
	bash scripts/tools/helm.sh >/dev/null
	bash scripts/tools/helm.sh --helm3 >/dev/null
	bash scripts/tools/promtool.sh >/dev/null
	bash scripts/tools/sloth.sh >/dev/null
	bash scripts/tools/alertmanager.sh >/dev/null
	bash scripts/tools/prometheus-operator-crds.sh >/dev/null
	bash scripts/tools/strimzi-crds.sh >/dev/null
	bash scripts/tools/skaffold-schema.sh >/dev/null
	bash scripts/tools/etcd.sh >/dev/null
	bash scripts/tools/kube-apiserver.sh >/dev/null

typecheck: ## type-check every workspace (and the storefront's browser modules, for the DOM)
	npx tsc -p tsconfig.json
	npx tsc -p services/storefront/web/tsconfig.json

lint: node_modules ## check formatting and lint rules (Biome, biome.jsonc); part of make test
	npx biome ci --error-on-warnings .

format: node_modules ## format the tree and apply Biome's safe fixes
	npx biome check --write .

.PHONY: slo-doc
slo-doc: node_modules ## regenerate docs/slo.md from the service level objectives (packages/contracts) and their rules (cdk8s/src/slo)
	node cdk8s/bin/slo-doc.ts

.PHONY: api-doc
api-doc: node_modules ## regenerate docs/api.md from the gateway's OpenAPI document (GET /api/openapi.json)
	node services/gateway/bin/openapi-doc.ts

infra-up: ## start PostgreSQL, Redis, Kafka, Jaeger and flagd on 127.0.0.1 (idempotent)
	bash scripts/local/infra.sh install
	bash scripts/local/infra.sh up

infra-status: ## show each infrastructure component, its version and address
	bash scripts/local/infra.sh status

infra-down: ## stop the infrastructure this project started
	bash scripts/local/infra.sh down

local: node_modules ## run the whole system here: infrastructure + the five services + the storefront on :8090 (make local-down stops it)
	bash scripts/local/infra.sh install
	bash scripts/local/local.sh up

local-status: ## infrastructure and services, with their state
	bash scripts/local/local.sh status

local-down: ## stop the services and the infrastructure
	bash scripts/local/local.sh down

test: setup typecheck lint images ## run every test against a fresh `make local`, then the system from its images
	bash scripts/local/local.sh restart
	node --test --test-reporter=spec $(TEST_FILES) $(CLI_K8S_TEST_FILES)
	node tests/images/main.ts

include mk/images.mk
include mk/cluster.mk
include mk/k8s.mk
include mk/cli.mk

include mk/proof.mk
