import type { QueryResult } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';

/**
 * A statement (or a piece of one) with its parameters, built by the `sql` tag: the one way raw SQL
 * is written here (docs/development.md, "Raw SQL"). `R` is the type of a row it returns.
 *
 * Pieces compose: a table's SQL stays in its owning lib's `<table>.queries.ts`, even when one
 * statement writes several tables (a password reset), and the generated `<table>.queries.sql` beside
 * it shows the whole statement.
 */
export class Sql<R = unknown> {
  /** Phantom: only carries the row type. */
  declare readonly row?: R;

  /** `chunks.length === params.length + 1`: params[i] goes between chunks[i] and chunks[i + 1]. */
  constructor(
    readonly chunks: readonly string[],
    readonly params: readonly unknown[],
  ) {}

  /** The text with positional parameters `$1`, `$2`, …, as in the snapshots and EXPLAIN. */
  get text(): string {
    return this.chunks.reduce((text, chunk, i) => `${text}$${i}${chunk}`);
  }
}

/**
 * `sql<Row>\`... ${value} ...\``: a value becomes a parameter; an array becomes a list of them
 * (`in (${ids})`); an `Sql` value is inlined with its own parameters. Never concatenate SQL text.
 */
export function sql<R = unknown>(strings: TemplateStringsArray, ...values: unknown[]): Sql<R> {
  const chunks = [strings[0]];
  const params: unknown[] = [];
  const append = (text: string): void => {
    chunks[chunks.length - 1] += text;
  };
  values.forEach((value, i) => {
    if (value instanceof Sql) {
      append(value.chunks[0]);
      for (let j = 0; j < value.params.length; j++) {
        params.push(value.params[j]);
        chunks.push(value.chunks[j + 1]);
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, j) => {
        if (j > 0) append(', ');
        params.push(item);
        chunks.push('');
      });
    } else {
      params.push(value);
      chunks.push('');
    }
    append(strings[i + 1]);
  });
  return new Sql<R>(chunks, params);
}

/** The pieces one after the other, `separator` (trusted text) between two. */
export function joinSql(pieces: readonly Sql[], separator: string): Sql {
  const strings = Object.assign(['', ...pieces.slice(1).map(() => separator), ''], { raw: [] });
  return sql(strings, ...pieces);
}

/** Trusted SQL text without parameters (a column list, a table's own expression). Never user input. */
export const rawSql = (text: string): Sql => new Sql([text], []);

/** The text MikroORM takes: `?` placeholders (it inlines the values itself), literal `?` escaped. */
function ormText(query: Sql): string {
  if (query.params.length === 0) return query.chunks[0];
  return query.chunks.map((chunk) => chunk.replaceAll('?', '\\?')).join('?');
}

/**
 * Runs a statement that returns rows; `em` may be a transaction's. Through MikroORM, so the
 * statement reaches PostgreSQL exactly as the ORM's own do (values inlined, one round trip).
 */
export function selectRows<R>(em: EntityManager, query: Sql<R>): Promise<R[]> {
  return em.execute<R[]>(ormText(query), [...query.params], 'all');
}

/** Runs a statement for its effect; resolves to the number of rows it changed. */
export async function runStatement(em: EntityManager, query: Sql): Promise<number> {
  const result = await em.execute<QueryResult>(ormText(query), [...query.params], 'run');
  return result.affectedRows;
}

/**
 * Runs a statement that returns rows on one of the ORM's pooled connections, outside any
 * transaction: the text PostgreSQL gets is the one selectRows sends (values inlined by the ORM's own
 * formatter, one simple-protocol round trip), without the ORM's and knex's layers around it. For
 * the worker's statements of every email. Errors are the ORM's (its driver converts them); the
 * pool, its limits and the statement timeout are the ORM's.
 *
 * Performance (docs/performance.md, worker): per issue statement at concurrency 16, the process's
 * CPU 376 → 270 µs, PostgreSQL's unchanged. Bind parameters (clientRows) saved the process as much
 * but cost PostgreSQL ~75 µs more a statement (the extended protocol's messages).
 */
export async function pooledRows<R>(em: EntityManager, query: Sql<R>): Promise<R[]> {
  if (em.getTransactionContext()) throw new Error('pooledRows runs outside transactions: use selectRows in one');
  const text = em.getPlatform().formatQuery(ormText(query), [...query.params]);
  const knex = em.getConnection().getKnex();
  const client = (await knex.client.acquireConnection()) as SqlClient;
  try {
    return (await client.query(text)).rows as R[];
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  } finally {
    await knex.client.releaseConnection(client);
  }
}

/**
 * pooledRows outside a transaction, selectRows inside one (`em` a transaction's, or the caller within
 * em.transactional): the same text either way. For statements that usually run alone on a hot path
 * (the reset's, the outbox mark, the webhook poll) but may be called from a transaction.
 *
 * Performance (docs/performance.md, reset-confirm): the ORM's and knex's layers cost the API's main
 * thread per statement about what PostgreSQL spends executing it.
 */
export function statementRows<R>(em: EntityManager, query: Sql<R>): Promise<R[]> {
  return em.getTransactionContext() ? selectRows(em, query) : pooledRows(em, query);
}

let preparedStatements = true;
let onPoolerRefusal: ((message: string) => void) | undefined;

/**
 * Whether preparedRows sends named prepared statements (DATABASE_PREPARED_STATEMENTS, set once at
 * start by DatabaseModule, which logs a pooler's refusal through `onRefusal`): off, it sends what
 * statementRows sends.
 */
export function usePreparedStatements(enabled: boolean, onRefusal?: (message: string) => void): void {
  preparedStatements = enabled;
  if (onRefusal) onPoolerRefusal = onRefusal;
}

/** Whether preparedRows currently prepares (false once a pooler refused a statement). */
export function preparingStatements(): boolean {
  return preparedStatements;
}

const statementNames = new Map<string, string>();

/** The statement's name: a hash of its text, so that one name always means one text, on any connection. */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `ca_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
    if (statementNames.size < 256) statementNames.set(text, name);
  }
  return name;
}

/** A pooler in transaction mode that does not keep prepared statements: the statement ran nowhere. */
const POOLER_REFUSALS = new Set(['26000', '42P05']); // invalid_sql_statement_name, duplicate_prepared_statement

/**
 * statementRows for a hot statement of FIXED text (no list whose length varies): outside a
 * transaction, a named prepared statement with bind parameters, so each pooled connection parses and
 * plans it once and then reuses the plan (PostgreSQL's plan cache picks a generic plan after five
 * executions); inside a transaction, selectRows. The name is a hash of the text, so any server
 * session that knows the name holds the same statement.
 *
 * Behind PgBouncer in transaction mode (before 1.21, or without `max_prepared_statements`), a
 * statement parsed on one server connection is unknown on another: PostgreSQL refuses the Bind
 * (26000) or the second Parse (42P05) before anything runs, so the statement is sent again inlined
 * and this process stops preparing (logged once). DATABASE_PREPARED_STATEMENTS=false never prepares.
 *
 * Performance (docs/performance.md, reset-confirm): planning was half of PostgreSQL's CPU per reset;
 * the reset statement alone 0.57 → 0.22 ms of backend CPU.
 */
export async function preparedRows<R>(em: EntityManager, query: Sql<R>): Promise<R[]> {
  if (!preparedStatements || em.getTransactionContext()) return statementRows(em, query);
  const text = query.text;
  const knex = em.getConnection().getKnex();
  const client = (await knex.client.acquireConnection()) as PreparingClient;
  try {
    return (await client.query({ name: statementName(text), text, values: [...query.params] })).rows as R[];
  } catch (error) {
    if (!POOLER_REFUSALS.has((error as { code?: string }).code ?? '')) throw em.getDriver().convertException(error as Error);
    if (preparedStatements) {
      preparedStatements = false;
      onPoolerRefusal?.(
        `a prepared statement was refused (${(error as Error).message}): the database is behind a pooler that does not keep them; sending statements inlined from now on (set DATABASE_PREPARED_STATEMENTS=false)`,
      );
    }
    try {
      const inlined = em.getPlatform().formatQuery(ormText(query), [...query.params]);
      return (await client.query(inlined)).rows as R[];
    } catch (retryError) {
      throw em.getDriver().convertException(retryError as Error);
    }
  } finally {
    await knex.client.releaseConnection(client);
  }
}

/** A pg client that also takes a query config (a named statement). */
interface PreparingClient extends SqlClient {
  query(text: string | { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

/** EXPLAIN of a statement (db:check): the plan's lines. Nothing is executed. */
export async function explain(em: EntityManager, query: Sql): Promise<string[]> {
  const rows = await em.execute<Array<{ 'QUERY PLAN': string }>>(`explain ${ormText(query)}`, [...query.params], 'all');
  return rows.map((row) => row['QUERY PLAN']);
}

/** Sample arguments of each query of a `<table>.queries.ts`, one snapshot statement per sample. */
export type SqlExamples<Q> = {
  [K in keyof Q]: Q[K] extends (...args: infer A) => Sql<unknown> ? [A, ...A[]] : never;
};

const EXAMPLES = Symbol.for('customer-access.sql-examples');

/**
 * Declares a lib's queries of one table together with sample arguments for each: `npm run db:sql`
 * writes the statements they build to `<table>.queries.sql`, `npm run db:check` fails when that file
 * is stale and EXPLAINs each statement against a migrated database. The type requires a sample
 * for every query, so every raw statement has its snapshot.
 */
export function defineQueries<Q extends Record<string, (...args: any[]) => Sql<any>>>(queries: Q, examples: SqlExamples<Q>): Q {
  Object.defineProperty(queries, EXAMPLES, { value: examples, enumerable: false });
  return queries;
}

/** The samples given to defineQueries, when `value` is a queries object. */
export function queryExamples(value: unknown): Record<string, unknown[][]> | undefined {
  return typeof value === 'object' && value !== null ? (value as { [EXAMPLES]?: Record<string, unknown[][]> })[EXAMPLES] : undefined;
}

/** The row type of an entity's properties `K` as raw SQL returns them: timestamps as text. */
export type Row<E, K extends keyof E> = {
  [P in K]: E[P] extends Date ? string : E[P] extends Date | null ? string | null : E[P];
};

/**
 * The entity's properties `keys` as a select list, each column aliased to its property name
 * (`first_name as "firstName"`), so that a row's type is `Row<Entity, keys>`. Columns follow the
 * ORM's naming (snake_case of the property); db:check's EXPLAIN catches one that does not exist.
 */
export function columns<E, K extends keyof E & string>(_entity: abstract new () => E, keys: readonly K[], table?: string): Sql {
  const prefix = table ? `${table}.` : '';
  return rawSql(
    keys
      .map((key) => {
        const column = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
        return column === key ? `${prefix}${column}` : `${prefix}${column} as "${key}"`;
      })
      .join(', '),
  );
}

/** A pg client (pg's Client or PoolClient): for work that needs one connection of its own, such as COPY. */
export interface SqlClient {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

/**
 * Runs a statement on a plain pg connection (the import's, which COPYs on it in the same
 * transaction), with its positional parameters as written in the snapshots.
 */
export async function clientRows<R>(client: SqlClient, query: Sql<R>): Promise<R[]> {
  const result = await client.query(query.text, [...query.params]);
  return result.rows as R[];
}
