# Kubernetes delivery: the stack on a local kind cluster with skaffold, and
# the generated manifests and Helm chart. Included by the root Makefile
# (which puts Node 24 on PATH). Walkthrough: docs/kubernetes.md.

K8S_CLUSTER ?= otel-shop
K8S_CONTEXT := kind-$(K8S_CLUSTER)
# make deploy PROFILE=helm (the chart) or PROFILE=production (the chart, production values).
PROFILE ?=
KIND_CLUSTER := K8S_CLUSTER=$(K8S_CLUSTER) bash scripts/kubernetes/kind-cluster.sh
DOCTOR := K8S_CLUSTER=$(K8S_CLUSTER) node cdk8s/bin/doctor.ts
# skaffold runs helm (the Strimzi release): a Helm on PATH, else the cached build.
SKAFFOLD := PATH="$$($(KIND_CLUSTER) path):$$PATH" K8S_CLUSTER=$(K8S_CLUSTER) skaffold
SKAFFOLD_FLAGS := --kube-context $(K8S_CONTEXT) $(if $(PROFILE),--profile $(PROFILE))

.PHONY: doctor cluster dev deploy down synth budget image-evidence

doctor: node_modules ## what the kind path needs (Docker and its memory, kind, kubectl, skaffold, helm, free ports): one line per problem with its fix
	@$(DOCTOR)

cluster: node_modules ## create the kind cluster `otel-shop` (kind-config.yaml); idempotent
	@$(DOCTOR) --for cluster
	@if kind get clusters 2>/dev/null | grep -qx '$(K8S_CLUSTER)'; then \
	  echo "kind cluster $(K8S_CLUSTER) already exists (context $(K8S_CONTEXT))"; \
	else \
	  kind create cluster --config kind-config.yaml --name $(K8S_CLUSTER) --wait 180s; \
	fi

dev: node_modules ## skaffold dev on kind: build, deploy, watch; forwards :8080 gateway, :16686 Jaeger, :3000 Grafana
	@$(DOCTOR) --for dev
	@$(KIND_CLUSTER) ready
	@node cdk8s/bin/synth.ts
	$(SKAFFOLD) dev $(SKAFFOLD_FLAGS) --port-forward=user

deploy: node_modules ## skaffold run on kind (build + deploy once, no watch); PROFILE=helm|production for the Helm chart
	@$(DOCTOR) --for dev
	@$(KIND_CLUSTER) ready
	@node cdk8s/bin/synth.ts
	$(SKAFFOLD) run $(SKAFFOLD_FLAGS)
	@echo "gateway http://127.0.0.1:30080  storefront http://127.0.0.1:30090  Jaeger http://127.0.0.1:30686  Grafana http://127.0.0.1:30300 (kind NodePorts)"

down: node_modules ## delete the kind cluster and everything in it
	@$(DOCTOR) --for down
	kind delete cluster --name $(K8S_CLUSTER)

synth: node_modules ## regenerate cdk8s/manifests and charts/ from the cdk8s app (cdk8s synth, plain and --format helm)
	@node cdk8s/bin/synth.ts

budget: node_modules ## print the CPU and memory the whole stack requests (must fit a laptop: 3 CPU, 4 GiB)
	@node cdk8s/bin/budget.ts

image-evidence: node_modules ## ask npm, the Go module proxy and Maven Central for the release behind every pinned image tag (cdk8s/src/model/images.ts)
	@node cdk8s/bin/image-evidence.ts
