/** PostgreSQL's invalid_catalog_name: the database named in the connection URL does not exist. */
const INVALID_CATALOG_NAME = '3D000';

/**
 * Only `migrate` (and `npm start`, which runs it) creates the database. Every other command that
 * reaches a missing one stops with this: which database, on which server, and what to do.
 * Undefined for any other error.
 */
export function missingDatabaseMessage(error: unknown, databaseUrl: string): string | undefined {
  for (let cause = error; cause; cause = (cause as { cause?: unknown }).cause) {
    if ((cause as { code?: unknown }).code !== INVALID_CATALOG_NAME) continue;
    return (
      `Error: the database ${describe(databaseUrl)} (DATABASE_URL) does not exist. ` +
      'Run `npm run migrate` to create it (npm start does too), or point DATABASE_URL at the right database.'
    );
  }
  return undefined;
}

/** "name" on host:port, without the credentials. */
function describe(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `"${decodeURIComponent(url.pathname.slice(1))}" on ${url.hostname}:${url.port || '5432'}`;
  } catch {
    return '(unreadable DATABASE_URL)';
  }
}
