/**
 * Recognizes "a backing service is unreachable" failures (Redis, PostgreSQL), which deserve a 503
 * that tells the client to come back, not a 500 that says the service is broken.
 */
export function isInfrastructureUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const name = error.name ?? '';
  const code = (error as { code?: string }).code ?? '';
  const message = error.message ?? '';
  if (['ConnectionException', 'MaxRetriesPerRequestError'].includes(name)) return true;
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P03', '08006', '08001'].includes(code)) return true;
  return /enableOfflineQueue|Connection is closed|Command timed out|connect ECONNREFUSED|Connection terminated|timeout exceeded when trying to connect|Knex: Timeout acquiring a connection|Query read timeout|canceling statement due to statement timeout/i.test(
    message,
  );
}
