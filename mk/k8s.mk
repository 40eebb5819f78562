# Kubernetes delivery: the stack on a local kind cluster with skaffold, and
# the generated manifests and Helm chart. Included by the root Makefile
# (which puts Node 24 on PATH). Walkthrough: docs/kubernetes.md.

K8S_CLUSTER ?= otel-shop
K8S_CONTEXT := kind-$(K8S_CLUSTER)
# make deploy PROFILE=helm (the chart) or PROFILE=production (the chart, production values).
PROFILE ?=
K8S_PREREQS := bash scripts/tools/k8s-prereqs.sh
# skaffold runs helm (the Strimzi release): a Helm on PATH, else the cached build.
SKAFFOLD := PATH="$$($(K8S_PREREQS) --path):$$PATH" K8S_CLUSTER=$(K8S_CLUSTER) skaffold
SKAFFOLD_FLAGS := --kube-context $(K8S_CONTEXT) $(if $(PROFILE),--profile $(PROFILE))

.PHONY: cluster dev deploy down synth budget

cluster: ## create the kind cluster `otel-shop` (kind-config.yaml); idempotent
	@$(K8S_PREREQS) docker kind kubectl
	@if kind get clusters 2>/dev/null | grep -qx '$(K8S_CLUSTER)'; then \
	  echo "kind cluster $(K8S_CLUSTER) already exists (context $(K8S_CONTEXT))"; \
	else \
	  kind create cluster --config kind-config.yaml --name $(K8S_CLUSTER) --wait 180s; \
	fi

dev: synth ## skaffold dev on kind: build, deploy, watch; forwards :8080 gateway, :16686 Jaeger, :3000 Grafana
	@$(K8S_PREREQS) --cluster docker kind kubectl skaffold helm
	$(SKAFFOLD) dev $(SKAFFOLD_FLAGS) --port-forward=user

deploy: synth ## skaffold run on kind (build + deploy once, no watch); PROFILE=helm|production for the Helm chart
	@$(K8S_PREREQS) --cluster docker kind kubectl skaffold helm
	$(SKAFFOLD) run $(SKAFFOLD_FLAGS)
	@echo "gateway http://127.0.0.1:30080  Jaeger http://127.0.0.1:30686  Grafana http://127.0.0.1:30300 (kind NodePorts)"

down: ## delete the kind cluster and everything in it
	@$(K8S_PREREQS) kind
	kind delete cluster --name $(K8S_CLUSTER)

synth: ## regenerate cdk8s/manifests and charts/ from the cdk8s app (cdk8s synth, plain and --format helm)
	@node cdk8s/scripts/synth.ts

budget: ## print the CPU and memory the whole stack requests (must fit a laptop: 3 CPU, 4 GiB)
	@node cdk8s/scripts/budget.ts
