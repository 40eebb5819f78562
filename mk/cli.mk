# The Kubernetes-facing tests of shopctl (cli/) and flag-sync against a real
# kube-apiserver + etcd, on their own (`make test` runs them too). The first kube-apiserver
# build takes 15-30 min on 2 cores (cached afterwards, ~/.cache/otel-shop);
# the tests then take ~1 min. Included by the root Makefile (which puts Node
# 24 on PATH).

CLI_K8S_TEST_FILES := 'cli/src/**/*.k8s-test.ts' 'services/flag-sync/src/**/*.k8s-test.ts'

.PHONY: test-k8s k8s-test-tools

k8s-test-tools: ## build etcd and kube-apiserver from the Go module proxy into the cache (once; slow the first time)
	bash scripts/tools/etcd.sh >/dev/null
	bash scripts/tools/kube-apiserver.sh >/dev/null

test-k8s: node_modules k8s-test-tools ## shopctl status/flags/port-forward and flag-sync tests against a real kube-apiserver + etcd (no cluster needed)
	node --test --test-reporter=spec $(CLI_K8S_TEST_FILES)
