'use strict';
/*
 * The anchor of the webhook worker's throughput target (bench/lib/webhooks.js): raw pooled undici
 * POSTs of exactly the requests the worker sent (same bodies, same webhook headers, captured by the
 * receiver) to the same receiver, from a process of its own, with as many in flight as the worker's
 * WEBHOOK_CONCURRENCY and an undici Agent like the worker's (keep-alive pool, TLS trusting the bench
 * certificate). No database, no queue, no signing: the floor of "POST these bodies".
 *
 *   node webhook-anchor.js PORT REQUESTS.json IN_FLIGHT CA.pem
 * Warms its pool up, prints "ready", waits for "go" on stdin, sends everything, prints
 * {"sent":n,"cpuMsPerRequest":x}.
 */
const fs = require('node:fs');
const readline = require('node:readline');
const { Agent, request } = require('undici');

const [port, file, inFlightArg, caFile] = process.argv.slice(2);
const requests = JSON.parse(fs.readFileSync(file, 'utf8'));
const inFlight = Number(inFlightArg);
const agent = new Agent({ keepAliveTimeout: 4000, connect: { ca: fs.readFileSync(caFile) } });
const base = `https://127.0.0.1:${port}`;

async function send(list) {
  let next = 0;
  let failed = 0;
  const lane = async () => {
    while (next < list.length) {
      const r = list[next++];
      const res = await request(`${base}${r.path}`, { method: 'POST', dispatcher: agent, headers: r.headers, body: r.body });
      await res.body.dump();
      if (res.statusCode !== 204) failed++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, list.length) }, lane));
  return failed;
}

async function main() {
  await send(requests.slice(0, Math.min(200, requests.length))); // warm-up: connections open, code hot
  process.stdout.write('ready\n');
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) if (line.trim() === 'go') break;
  const cpu0 = process.cpuUsage();
  const failed = await send(requests);
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(
    `${JSON.stringify({ sent: requests.length, failed, cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / requests.length })}\n`,
  );
  await agent.close();
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
