# A real Kubernetes node on this machine (docs/cluster.md): the chart
# installed on it and the system checked end to end inside the cluster.
# Included by the root Makefile (which puts Node 24 on PATH).

.PHONY: cluster-tools test-cluster

cluster-tools: ## build what the real node runs (kubelet, containerd, kube-router, CoreDNS, the collector, Prometheus, ...) into the cache: about an hour once
	bash scripts/cluster/tools.sh

test-cluster: node_modules images ## boot a real node (own network namespace), install the chart, run the cluster tests, tear it all down
	@bash scripts/cluster/tools.sh --check >/dev/null || { bash scripts/cluster/tools.sh --check; echo "make cluster-tools builds and installs it (about an hour on 2 cores, once)"; exit 1; }
	node tests/cluster/main.ts
