// The catalogue page: telemetry only (its document load, and clicks that
// lead on); the page itself is server-rendered links.
import { startTelemetry } from './telemetry.ts';

startTelemetry();
