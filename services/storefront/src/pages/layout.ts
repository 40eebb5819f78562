// The frame every page shares: landmarks (banner, navigation, main,
// contentinfo), a skip link, the stylesheet and the page's own module, and
// the sampling ratio the page's telemetry decides with. No inline script or
// style anywhere, so the Content-Security-Policy can forbid both.
import type { Assets } from '../assets/assets.ts';
import type { Page } from '../assets/pages.ts';
import { html, type Html } from './html.ts';

export interface PageFrame {
  title: string;
  /** The page's own module, if it has one. */
  page?: Page | undefined;
  /** Which navigation entry is the current page. */
  current?: 'catalogue' | undefined;
  main: Html;
}

export interface LayoutContext {
  assets: Assets;
  samplingRatio: number;
}

export function layout(context: LayoutContext, frame: PageFrame): string {
  const { assets } = context;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · otel-shop</title>
<meta name="description" content="otel-shop: a small shop, traced end to end with OpenTelemetry.">
<meta name="otel-sampling-ratio" content="${String(context.samplingRatio)}">
<link rel="icon" href="${assets.icon}" type="image/svg+xml">
<link rel="stylesheet" href="${assets.stylesheet}">
${frame.page ? html`<script type="module" src="${assets.script[frame.page]}"></script>` : ''}
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
  <div class="wrap">
    <a class="brand" href="/"><img src="${assets.icon}" alt="" width="32" height="32">otel-shop</a>
    <nav aria-label="Main">
      <ul>
        <li><a href="/"${frame.current === 'catalogue' ? html` aria-current="page"` : ''}>Catalogue</a></li>
      </ul>
    </nav>
  </div>
</header>
<main id="main" class="wrap">
${frame.main}
</main>
<footer class="site-footer">
  <div class="wrap"><p>Every click in this shop is traced with OpenTelemetry, from your browser to the last Kafka consumer. Your order page shows its own trace.</p></div>
</footer>
</body>
</html>
`.text;
}
