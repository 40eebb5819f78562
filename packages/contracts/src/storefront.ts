// The storefront: the shop a person opens in a browser. A deployable of its
// own beside the five backend services, not a row of their table (SERVICES):
// the tools built on that table (the saga's checks, shopctl smoke, the
// chaos and bench harnesses) mean exactly those five. It is a
// backend-for-frontend: it holds its own API key and calls the gateway, and
// the browser only ever talks to its origin (docs/storefront.md).
import { FLAG_SYNC } from './flags.ts';
import { LOAD_GENERATOR } from './load-generator.ts';
import { SERVICE_NAMES, type ServiceName } from './services.ts';

export interface StorefrontSpec {
  /** The workspace (`services/<name>`) and the name local mode runs it under. */
  name: 'storefront';
  port: number;
  /** OTel service.name of the server. */
  otelName: string;
  /** OTel service.name of the pages' spans (the browser's). */
  webOtelName: string;
  /** Backend services it calls over HTTP (`<PEER>_URL`). */
  calls: readonly ServiceName[];
}

export const STOREFRONT: Readonly<StorefrontSpec> = {
  name: 'storefront',
  port: 8090,
  otelName: 'storefront',
  webOtelName: 'storefront-web',
  calls: ['gateway'],
};

/**
 * Every workspace under services/ that is built into an image and deployed:
 * the five services, the storefront and the load generator. Image builds,
 * the image tests and the cluster tier take this list; the tools about the
 * order path take SERVICE_NAMES.
 */
export const DEPLOYABLE_NAMES = [...SERVICE_NAMES, STOREFRONT.name, LOAD_GENERATOR.name] as const;
export type DeployableName = (typeof DEPLOYABLE_NAMES)[number];

/**
 * Every image of ours: the deployables, and the workspaces that exist only
 * in a cluster (flag-sync, beside flagd) and so have no process in `make
 * local` and no container in `make test-images`.
 */
export const IMAGE_NAMES = [...DEPLOYABLE_NAMES, FLAG_SYNC.name] as const;
export type ImageName = (typeof IMAGE_NAMES)[number];

/**
 * Where the pages send their spans, on the storefront's own origin
 * (OTLP/HTTP JSON); the storefront checks each batch and forwards it to its
 * OTLP endpoint. No collector port is ever exposed to browsers.
 */
export const STOREFRONT_OTLP_TRACES_PATH = '/otlp/v1/traces';

/** The storefront server's own spans (docs/storefront.md). */
export const STOREFRONT_SPANS = {
  /** POST /checkout: the order placed through the gateway, with `product.id` and `order.id`. */
  checkout: 'storefront.checkout',
} as const;

/**
 * The pages' spans (service.name `STOREFRONT.webOtelName`) that dashboards
 * and tests look for (docs/storefront.md).
 */
export const STOREFRONT_WEB_SPANS = {
  /**
   * The product page's placing of an order, ours: from the click until the
   * storefront's answer is in. Child of the click, parent of the fetch of
   * POST /checkout. Status OK when the order was created, ERROR when the
   * shop failed (5xx, no answer), unset when the order was refused (declined,
   * out of stock, too fast); `order.outcome` says which.
   */
  checkout: 'storefront-web.checkout',
  /**
   * A page's load. Not ours to choose: the name the document-load
   * instrumentation (@opentelemetry/instrumentation-document-load) gives its
   * span, written here so that dashboards need not spell it.
   */
  documentLoad: 'documentLoad',
} as const;
