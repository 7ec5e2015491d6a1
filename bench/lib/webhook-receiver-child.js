'use strict';
// Webhook receiver for the bench (own process, so that the load generator's event loop does not
// delay it): HTTPS on 127.0.0.1 with the bench's self-signed certificate (the service sends https:
// only in production), answers 204 to every POST. Reports [webhook-id, data.customerId, arrival ms,
// the body's timestamp in ms] to the parent every 20 ms; while capturing, keeps each request's body
// and webhook headers so that the anchor can replay exactly the same requests.
const fs = require('node:fs');
const https = require('node:https');

const [keyFile, certFile] = process.argv.slice(2);
const REPLAYED = ['content-type', 'user-agent', 'webhook-id', 'webhook-timestamp', 'webhook-signature'];
let batch = [];
let capturing = false;
let captured = [];
/** TLS connections accepted since the last 'capture' on (the worker's keep-alive pool shows as a few). */
let connections = 0;

const server = https.createServer(
  { key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile), keepAliveTimeout: 10_000 },
  (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      const body = Buffer.concat(chunks).toString('utf8');
      let customerId = null;
      let eventAt = null;
      try {
        const json = JSON.parse(body);
        customerId = json.data?.customerId ?? null;
        eventAt = Date.parse(json.timestamp);
      } catch {
        /* not JSON: counted all the same */
      }
      batch.push([String(req.headers['webhook-id']), customerId, at, eventAt]);
      if (capturing) captured.push({ path: req.url, body, headers: Object.fromEntries(REPLAYED.map((h) => [h, req.headers[h]])) });
      res.writeHead(204).end();
    });
  },
);
server.on('secureConnection', () => connections++);
server.on('error', (e) => console.error('[webhook receiver]', e.message));
setInterval(() => {
  if (batch.length) {
    process.send({ type: 'hits', items: batch });
    batch = [];
  }
}, 20);
process.on('message', (m) => {
  if (m.cmd === 'capture') {
    capturing = m.on;
    if (m.on) {
      captured = [];
      connections = 0;
    } else process.send({ type: 'connections', count: connections });
  } else if (m.cmd === 'dump') {
    fs.writeFileSync(m.file, JSON.stringify(captured));
    process.send({ type: 'dumped', count: captured.length });
  }
});
server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port }));
process.on('disconnect', () => process.exit(0));
