import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** How much of a refused body is read and thrown away after the answer, at most (bytes, then time). */
export const LINGER_MAX_BYTES = 16 * 1024 * 1024;
export const LINGER_MAX_MS = 10_000;

const LINGERING = Symbol('lingeringClose');
type LingeringSocket = Socket & { destroySoon?: () => void; [LINGERING]?: true };

/**
 * A clean 413 (docs/api.md): Fastify refuses a body over the limit before reading it, answers with
 * `Connection: close`, and Node then closes the socket as soon as the answer is written. The client
 * is usually still sending its body; the kernel answers those bytes with a reset, which can reach the
 * client before it has read the answer (a Node.js client posting 2 MB gets EPIPE or ECONNRESET and no
 * 413 about half the time). So, as nginx's lingering close does: write the answer, half-close (FIN),
 * keep reading and discarding what the client still sends until its body ends, at most
 * LINGER_MAX_BYTES or LINGER_MAX_MS, then close.
 *
 * Installed for every error answer that closes the connection while the request's body is unread (413, and
 * the 400/415 of a body Fastify could not parse); Node calls the socket's destroySoon() once the
 * answer is written, which is replaced on that socket only.
 */
export function installLingeringClose(fastify: FastifyInstance): void {
  // onError, not onSend: it runs only for answers made from an error (the body-parsing ones among
  // them), so a successful request pays nothing for it (docs/performance.md).
  fastify.addHook('onError', (request: FastifyRequest, reply: FastifyReply, _error: Error, done: () => void) => {
    const closes = String(reply.getHeader('connection') ?? '').toLowerCase() === 'close';
    if (closes && !request.raw.complete) lingerOnClose(request.raw.socket as LingeringSocket, request.raw);
    done();
  });
}

export function lingerOnClose(socket: LingeringSocket, body: IncomingMessage): void {
  if (!socket || socket[LINGERING] || typeof socket.destroySoon !== 'function') return;
  socket[LINGERING] = true;
  let closed = false;
  let discarded = 0;
  // Closes once the answer is out (destroy() would drop what is still buffered); past a bound, at once.
  const close = (now = false): void => {
    if (closed && !now) return;
    closed = true;
    clearTimeout(timer);
    if (now || socket.writableFinished) socket.destroy();
    else socket.once('finish', () => socket.destroy());
  };
  const timer = setTimeout(() => close(true), LINGER_MAX_MS);
  timer.unref();
  // Read the rest of the body here and drop it, counting (reading it also keeps Node from dumping
  // it uncounted once the answer is written); its end means the client has sent everything.
  body.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_MAX_BYTES) close(true);
  });
  body.once('end', () => close());
  body.once('error', () => close(true));
  body.resume();
  socket.once('close', () => close(true));
  // Node calls this once the answer is written: half-close (FIN) instead, and keep reading.
  socket.destroySoon = () => {
    if (socket.writable) socket.end();
    socket.once('end', () => close());
    if (body.complete) close();
  };
}
