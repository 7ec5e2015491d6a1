'use strict';
/*
 * The worker's anchor (issue 11): raw pooled nodemailer, nothing else, sending the same email the
 * worker sends to the same SMTP sink. Run as a child of bench/run.js:
 *
 *   node bench/lib/nodemailer-anchor.js <smtpPort> <count> <inFlight> <maxConnections>
 *
 * The message is the service's own password-reset email (en), rendered once by the build's renderer
 * (.bench/dist), and handed to nodemailer with the worker's own options (html + text, base64,
 * Content-Language), so that the anchor pays the MIME building and the SMTP conversation the worker
 * pays, and nothing of the worker's own: no queue, no database, no token, no delivery log.
 *
 * Prints "ready" once the transport is up; on a line on stdin it sends `count` messages with
 * `inFlight` in flight (the worker's concurrency), then prints one JSON line with its own CPU time
 * for the sends, so that start-up (requires, template compilation) is not charged to the anchor.
 */
const path = require('node:path');
const readline = require('node:readline');
const nodemailer = require('nodemailer');

const [port, count, inFlight, maxConnections] = process.argv.slice(2).map(Number);
const DIST = process.env.BENCH_DIST_DIR || path.join(__dirname, '..', '..', '.bench', 'dist');

async function renderResetEmail() {
  const { Translator } = require(path.join(DIST, 'libs/i18n/src/translator.js'));
  const { EmailRenderer } = require(path.join(DIST, 'libs/notification/src/templates/email-renderer.js'));
  const renderer = await EmailRenderer.compile(new Translator());
  // The renderer takes the customer's and store's context apart from the template's own values.
  const context = {
    firstName: 'Customer',
    lastName: 'No12345',
    storeName: 'My Store',
    supportEmail: 'support@example.com',
    timeZone: 'UTC',
  };
  return renderer.render('password-reset', 'en', context, {
    // The shape of a real link: a 43-character base64url token.
    resetLink: 'http://127.0.0.1:3000/customer/account/createPassword?token=Xq3v9TQe1bW0kR2yZp7LmN4sJc8dHf6uAa5gVt0oEiY',
    hours: 24,
    expiresAt: new Date(Date.now() + 24 * 3600 * 1000),
  });
}

async function main() {
  const email = await renderResetEmail();
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections });
  const send = (k) =>
    transport.sendMail({
      from: '"Customer Access" <no-reply@example.com>',
      to: `anchor${k}@shop.test`,
      subject: email.subject,
      text: email.text,
      html: email.html,
      headers: { 'Content-Language': email.locale },
      textEncoding: 'base64',
    });
  await send(-1); // opens a pooled connection and warms the code paths
  process.stdout.write('ready\n');
  const rl = readline.createInterface({ input: process.stdin });
  await new Promise((resolve) => rl.once('line', resolve));
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  let next = 0;
  const lane = async () => {
    while (next < count) await send(next++);
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  const cpu = process.cpuUsage(cpu0);
  const seconds = (Date.now() - t0) / 1000;
  process.stdout.write(
    `${JSON.stringify({ sent: count, seconds, cpuMsPerEmail: (cpu.user + cpu.system) / 1000 / count, htmlBytes: Buffer.byteLength(email.html), textBytes: Buffer.byteLength(email.text) })}\n`,
  );
  transport.close();
  rl.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
