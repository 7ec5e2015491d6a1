'use strict';
// A Pwned Passwords range API on loopback for the bench stacks (PWNED_PASSWORDS_URL), so that a bench
// never reaches the internet: every range answers the padding a real one carries (count 0: nothing
// breached), which is what the check costs when a range is fetched.
const http = require('node:http');
const { randomBytes } = require('node:crypto');

let started;

/** The URL of the one range server of this bench process (started on first use, unref'd). */
function pwnedRangeUrl() {
  started ??= new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      if (!/^\/range\/[0-9A-Fa-f]{5}$/.test(req.url ?? '')) return void res.writeHead(404).end();
      const lines = [];
      for (let i = 0; i < 800; i++) lines.push(`${randomBytes(18).toString('hex').slice(0, 35).toUpperCase()}:0`);
      res.writeHead(200, { 'content-type': 'text/plain' }).end(lines.join('\r\n'));
    });
    server.listen(0, '127.0.0.1', () => {
      server.unref();
      resolve(`http://127.0.0.1:${server.address().port}`);
    });
  });
  return started;
}

module.exports = { pwnedRangeUrl };
