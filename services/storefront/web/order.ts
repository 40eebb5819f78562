// The order page follows its order: it asks the storefront for the order's
// state and trace every second until the order is final and its trace has
// arrived in full (or a minute has passed), and swaps in what changed. The
// storefront renders both parts; the page only places them.
import { startTelemetry } from './telemetry.ts';

startTelemetry();

interface OrderState {
  status: string;
  final: boolean;
  status_html: string;
  trace_html: string;
  trace_complete: boolean;
}

const section = document.querySelector<HTMLElement>('#order');
const statusView = document.querySelector<HTMLElement>('#order-status');
const traceView = document.querySelector<HTMLElement>('#trace-view');

if (section && statusView && traceView) {
  const url = section.dataset.stateUrl ?? '';
  let final = section.dataset.final === 'true';
  let traceComplete = section.dataset.traceComplete === 'true';
  let shownStatus = section.dataset.status ?? '';
  const deadline = Date.now() + 60_000;

  const poll = async () => {
    try {
      // Not traced by the page (telemetry.ts leaves these URLs out).
      const response = await fetch(url, { headers: { accept: 'application/json' } });
      if (response.ok) {
        const state = (await response.json()) as OrderState;
        if (state.status !== shownStatus) {
          // The status is a live region: replacing it is what gets announced.
          statusView.innerHTML = state.status_html;
          shownStatus = state.status;
        }
        if (state.trace_html) traceView.innerHTML = state.trace_html;
        final = state.final;
        traceComplete = state.trace_complete;
        section.dataset.final = String(final);
        section.dataset.traceComplete = String(traceComplete);
      }
    } catch {
      // A missed poll is retried by the next one.
    }
    if ((!final || !traceComplete) && Date.now() < deadline) setTimeout(poll, 1000);
  };
  if (!final || !traceComplete) setTimeout(poll, 500);
}
