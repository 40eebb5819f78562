// The cluster tier's placeholder for Grafana, whose release cannot be built
// from the registries this machine reaches. It answers the health check the
// chart's probes read, so the Deployment is ready and skaffold's status
// check and port-forward behave as with the real image, and says what it is
// on every other path. The dashboards are checked against Prometheus
// instead (tests/cluster/prometheus-answers-every-dashboard-query...).
import { createServer } from 'node:http';

const PLACEHOLDER = 'a test-only placeholder for Grafana (docs/stand-ins.md): the dashboards are not served here';

createServer((request, response) => {
  if (request.url === '/api/health') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ database: 'ok', version: 'placeholder' }));
    return;
  }
  response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(`${PLACEHOLDER}\n`);
}).listen(3000, '0.0.0.0');
process.on('SIGTERM', () => process.exit(0));
