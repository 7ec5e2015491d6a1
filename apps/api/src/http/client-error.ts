import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { codeForStatus } from './error-response';

/**
 * Requests that Node's HTTP parser refuses before Fastify sees them (oversized headers: 431,
 * malformed requests: 400) get the service's JSON error shape too, with a `code`.
 */
export function writeClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const message = status === 431 ? 'The request headers are too large.' : 'The request is malformed.';
  const body = JSON.stringify({ statusCode: status, code: codeForStatus(status), message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
