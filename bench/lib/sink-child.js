'use strict';
// SMTP sink (own process, so the load generator's event loop does not delay it): plain SMTP on
// 127.0.0.1, STARTTLS disabled, any AUTH accepted. Reports [recipient, arrival ms] to the parent.
const { SMTPServer } = require('smtp-server');

let batch = [];
let count = 0;
const server = new SMTPServer({
  secure: false,
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onAuth: (_auth, _session, cb) => cb(null, { user: 'bench' }),
  logger: false,
  banner: 'bench sink',
  size: 1024 * 1024,
  maxClients: 1000,
  onData(stream, session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      const at = Date.now();
      for (const rcpt of session.envelope.rcptTo) batch.push([rcpt.address.toLowerCase(), at]);
      count++;
      callback(null, `queued as ${count}`);
    });
    stream.on('error', callback);
  },
});
server.on('error', (e) => console.error('[sink]', e.message));
setInterval(() => {
  if (batch.length) {
    process.send({ type: 'mail', items: batch });
    batch = [];
  }
}, 20);
server.listen(Number(process.env.SINK_PORT || 0), '127.0.0.1', () => {
  process.send({ type: 'ready', port: server.server.address().port });
});
process.on('disconnect', () => process.exit(0));
