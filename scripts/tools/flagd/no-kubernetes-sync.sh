#!/usr/bin/env bash
# The other change our flagd build makes (scripts/tools/flagd.sh runs it
# inside a copy of github.com/open-feature/flagd/core's source): the
# Kubernetes sync provider (flags from FeatureFlag custom resources) imports
# github.com/open-feature/open-feature-operator/api, whose source the Go
# module proxy refuses to serve, so nothing that imports it can be built.
# Neither `make local` (file sync) nor the chart uses that provider. Its
# package is replaced by one with the same entry point whose sync fails at
# once, in words; every other provider (file, http, grpc, blob) is upstream's.
# Fails when the package no longer looks as this expects.
set -euo pipefail

pkg=pkg/sync/kubernetes
[[ -f $pkg/kubernetes_sync.go ]] || { echo "no-kubernetes-sync.sh: no $pkg/kubernetes_sync.go in this core" >&2; exit 1; }
grep -q '^func NewK8sSync($' "$pkg/kubernetes_sync.go" \
  || { echo "no-kubernetes-sync.sh: NewK8sSync is not declared as expected in $pkg/kubernetes_sync.go" >&2; exit 1; }
grep -rlq 'open-feature-operator/api' "$pkg" \
  || { echo "no-kubernetes-sync.sh: $pkg no longer imports open-feature-operator/api; drop this patch" >&2; exit 1; }
users=$(grep -rl --include='*.go' --exclude='*_test.go' '"github.com/open-feature/flagd/core/pkg/sync/kubernetes"' . | sort | tr '\n' ' ')
[[ $users == './pkg/sync/builder/syncbuilder.go ' ]] \
  || { echo "no-kubernetes-sync.sh: expected only the sync builder to import $pkg, found: $users" >&2; exit 1; }

rm -f "$pkg"/*.go
cat > "$pkg/kubernetes_sync.go" <<'GO'
// Written by otel-shop's build of flagd (scripts/tools/flagd/no-kubernetes-sync.sh)
// in place of upstream's Kubernetes sync provider, whose dependency
// (github.com/open-feature/open-feature-operator/api) the module proxy does
// not serve. The sync builder's call is unchanged; the sync fails at Init.

package kubernetes

import (
	"context"
	"errors"

	"github.com/open-feature/flagd/core/pkg/logger"
	"github.com/open-feature/flagd/core/pkg/sync"
	"k8s.io/client-go/dynamic"
)

var errNotBuilt = errors.New("the kubernetes sync provider is not part of this flagd build (scripts/tools/flagd/no-kubernetes-sync.sh): use a file, http or grpc source")

// Sync stands where upstream's Kubernetes sync is: it never syncs.
type Sync struct {
	URI string
}

func NewK8sSync(_ *logger.Logger, uri string, _ dynamic.Interface) *Sync {
	return &Sync{URI: uri}
}

func (k *Sync) Init(_ context.Context) error { return errNotBuilt }

func (k *Sync) IsReady() bool { return false }

func (k *Sync) Sync(_ context.Context, _ chan<- sync.DataSync) error { return errNotBuilt }

func (k *Sync) ReSync(_ context.Context, _ chan<- sync.DataSync) error { return errNotBuilt }
GO
