// A shopper in a real browser, for the storefront's tests against `make
// local`, the images and the cluster: Debian's Chromium driven by
// playwright-core (nothing downloads a browser), axe-core run in the page,
// and the walk a person takes from the catalogue to an order's page.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FlatSpan } from '@shop/kit/test/jaeger';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = process.env.STOREFRONT_CHROMIUM ?? '/usr/bin/chromium';
const AXE = readFileSync(fileURLToPath(import.meta.resolve('axe-core/axe.min.js')), 'utf8');

/** Where each page's screenshot is kept: .local/artifacts/<run>/ (storefront, storefront-cluster). */
export function artifactsDir(run: string): string {
  const dir = join(ROOT, '.local', 'artifacts', run);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export async function launchChromium(): Promise<Browser> {
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: apt-get install chromium (make local installs it)`);
  // --no-sandbox: the test may run as root, where Chromium's sandbox will not start.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

export interface Shopper {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions of every page this shopper opened. */
  problems: string[];
}

/** A fresh shopper (no cookies) on the storefront at `baseURL`. */
export async function shopper(browser: Browser, baseURL: string): Promise<Shopper> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${page.url()}: console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${page.url()}: uncaught: ${error.message}`));
  return { context, page, problems };
}

/** Serious and critical axe-core violations of the page as it is now. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const result = (await page.evaluate(() => (globalThis as unknown as { axe: { run(): Promise<unknown> } }).axe.run())) as {
    violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
  };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${page.url()}: ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
}

export async function keep(page: Page, dir: string, name: string): Promise<void> {
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** The spans whose parent is not in the trace. */
export function roots(spans: FlatSpan[]): FlatSpan[] {
  const ids = new Set(spans.map((s) => s.spanId));
  return spans.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId));
}

export interface PlacedOrder {
  orderId: string;
  traceId: string;
  /** Serious and critical accessibility violations met on the way. */
  a11y: string[];
}

/**
 * Catalogue, through its pages to the product, `quantity` ordered with
 * Place order, and the order's page until it shows `created` and its trace
 * in full; a screenshot of each page on the way.
 */
export async function orderFromCatalogue(page: Page, product: { id: string; name: string }, quantity: number, screenshots: string): Promise<PlacedOrder> {
  const a11y: string[] = [];
  await page.goto('/');
  await page.getByRole('heading', { name: 'Catalogue', level: 1 }).waitFor();
  await keep(page, screenshots, 'catalogue');
  a11y.push(...(await accessibilityProblems(page)));

  // Through the catalogue's pages to the product (other tests add products of their own).
  const link = page.getByRole('link', { name: product.name });
  for (let pages = 1; !(await link.isVisible()); pages++) {
    assert.ok(pages < 50, `${product.name} is in the catalogue`);
    const next = page.getByRole('link', { name: 'Next page' });
    const href = (await next.getAttribute('href'))!;
    await next.click();
    await page.waitForURL((url) => `${url.pathname}${url.search}` === href);
  }
  await link.click();
  await page.waitForURL(new RegExp(`/products/${product.id}\\?checkout=co-`));
  await page.getByRole('heading', { name: product.name, level: 1 }).waitFor();
  await keep(page, screenshots, 'product');
  a11y.push(...(await accessibilityProblems(page)));

  await page.getByLabel('Quantity').fill(String(quantity));
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForURL(/\/orders\/[0-9a-f-]+\?trace=[0-9a-f]{32}$/, { timeout: 20_000 });
  await page.locator('#order-status [data-status="created"]').waitFor({ timeout: 20_000 });
  // The page follows the order until its trace has arrived in full.
  await page.locator('#order[data-trace-complete="true"]').waitFor({ timeout: 40_000 });
  await page.getByRole('cell', { name: 'notification.send' }).first().waitFor();
  await keep(page, screenshots, 'order');
  a11y.push(...(await accessibilityProblems(page)));

  const url = new URL(page.url());
  return { orderId: url.pathname.split('/').pop()!, traceId: url.searchParams.get('trace')!, a11y };
}
