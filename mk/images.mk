# The seven images (the five services, the storefront, the load generator), built here from the one Dockerfile with buildah,
# and the system run from them with podman (docs/images.md). Included by the
# root Makefile (which puts Node 24 on PATH).

.PHONY: images test-images

images: node_modules ## the seven images otel-shop/<service>:<version> (the five services, the storefront, the load generator) from the Dockerfile (buildah; a stand-in base where node:*-alpine cannot be pulled); size and build time of each
	bash scripts/images/build.sh

test-images: images ## the system from its images, each container as its manifest declares, against make local's infrastructure; then the e2e and image tests
	bash scripts/local/infra.sh up
	node tests/images/main.ts
