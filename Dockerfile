# One Dockerfile for the five services, the storefront, the load generator and
# flag-sync (flagd's sidecar in a cluster); the build arg picks one:
#   docker build --build-arg SERVICE=gateway -t otel-shop/gateway:0.1.0 .
# (skaffold.yaml builds all eight.) The services run their TypeScript directly
# (Node 24 type stripping), so there is no compile step: the image holds the
# npm workspace layout (root package.json + lock, packages/contracts, packages/kit,
# packages/load, packages/traces, services/<service>) with production dependencies only, and runs as an
# unprivileged numeric user on a read-only root filesystem. The storefront's
# browser bundles are built in a stage of their own (`assets`), with its dev
# dependencies; only their output reaches the image.

# Keep equal to .nvmrc (a test checks).
ARG NODE_VERSION=24.21.0

FROM node:${NODE_VERSION}-alpine AS deps
ARG SERVICE
RUN case "$SERVICE" in gateway|order|inventory|payment|notification|storefront|load-generator|flag-sync) ;; \
      *) echo "build with --build-arg SERVICE=gateway|order|inventory|payment|notification|storefront|load-generator|flag-sync (got '$SERVICE')" >&2; exit 1 ;; esac
WORKDIR /app
# Manifests first: the dependency layer is rebuilt only when they change.
COPY package.json package-lock.json ./
COPY packages/contracts/package.json packages/contracts/
COPY packages/kit/package.json packages/kit/
COPY packages/load/package.json packages/load/
COPY packages/traces/package.json packages/traces/
COPY services/${SERVICE}/package.json services/${SERVICE}/
# Exactly what the lockfile says, for this service and the libraries, without dev dependencies.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund --loglevel=error \
      --workspace services/${SERVICE} --workspace packages/kit --workspace packages/contracts --workspace packages/load --workspace packages/traces \
 # Nothing at run time reads source maps, type declarations or package docs
 # (Node runs without --enable-source-maps): a third of node_modules.
 && find node_modules -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -iname '*.md' \) -delete

# What a service serves to browsers, built by its `npm run build` (the
# storefront's pages: esbuild bundles into dist/). A service without a build
# script installs nothing here and gets an empty dist/.
FROM node:${NODE_VERSION}-alpine AS assets
ARG SERVICE
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/contracts/package.json packages/contracts/
COPY packages/kit/package.json packages/kit/
COPY services/${SERVICE}/package.json services/${SERVICE}/
RUN --mount=type=cache,target=/root/.npm \
    if grep -q '"build":' services/${SERVICE}/package.json; then \
      npm ci --no-audit --no-fund --loglevel=error --workspace services/${SERVICE} --workspace packages/contracts; \
    fi
COPY tsconfig.base.json ./
COPY packages/contracts packages/contracts
COPY services/${SERVICE} services/${SERVICE}
RUN mkdir -p services/${SERVICE}/dist \
 && if grep -q '"build":' services/${SERVICE}/package.json; then npm run build --workspace services/${SERVICE}; fi

FROM node:${NODE_VERSION}-alpine
ARG SERVICE
LABEL org.opencontainers.image.title="otel-shop ${SERVICE}"
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/package.json /app/package-lock.json ./
COPY --from=deps /app/node_modules ./node_modules
# Sources (tests are excluded by .dockerignore); SQL migrations come with the service.
COPY packages/contracts packages/contracts
COPY packages/kit packages/kit
COPY packages/load packages/load
COPY packages/traces packages/traces
COPY services/${SERVICE} services/${SERVICE}
COPY --from=assets /app/services/${SERVICE}/dist services/${SERVICE}/dist
# The `node` user of the base image, by number (runAsNonRoot can verify it).
USER 1000:1000
WORKDIR /app/services/${SERVICE}
EXPOSE 8080-8084 8090 8091
# Migrations: `node src/db/migrate.ts` (the Kubernetes init container).
CMD ["node", "--import", "@shop/kit/telemetry/register", "src/main.ts"]
