import Redis from 'ioredis';
import { Db } from './stack';

/**
 * Everything at rest, as text, for secret scans: every row of every table of the test database,
 * and every key (name and value, whatever its type) of a Redis database.
 */

/** `"schema"."table"` of every base table outside the system schemas. */
export async function listTables(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ table_schema: string; table_name: string }>(
    `SELECT table_schema, table_name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
      ORDER BY 1, 2`,
  );
  return rows.map((r) => `"${r.table_schema.replace(/"/g, '""')}"."${r.table_name.replace(/"/g, '""')}"`);
}

/** Each table's rows as JSON text (row_to_json), keyed by table. */
export async function dumpDatabase(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of await listTables(db)) {
    const { rows } = await db.query<{ j: string }>(`SELECT row_to_json(t)::text AS j FROM ${table} t`);
    out[table] = rows.map((r) => r.j).join('\n');
  }
  return out;
}

/** Every key of the client's current database with its value, by type. Bounded by `maxKeys`. */
export async function dumpRedis(redis: Redis, maxKeys = 50_000): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  let cursor = '0';
  let seen = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      if (++seen > maxKeys) throw new Error(`dumpRedis: more than ${maxKeys} keys`);
      out[key] = await redisValue(redis, key);
    }
  } while (cursor !== '0');
  return out;
}

async function redisValue(redis: Redis, key: string): Promise<string> {
  const type = await redis.type(key);
  switch (type) {
    case 'string':
      return (await redis.getBuffer(key))?.toString('utf8') ?? '';
    case 'hash':
      return JSON.stringify(await redis.hgetall(key));
    case 'list':
      return JSON.stringify(await redis.lrange(key, 0, -1));
    case 'set':
      return JSON.stringify(await redis.smembers(key));
    case 'zset':
      return JSON.stringify(await redis.zrange(key, 0, -1, 'WITHSCORES'));
    case 'stream':
      return JSON.stringify(await redis.xrange(key, '-', '+'));
    case 'none':
      return '';
    default:
      return `(unreadable type ${type})`;
  }
}

/** The forms a secret may take once written somewhere: as is, JSON-escaped, URL-encoded. */
export function secretForms(secret: string): string[] {
  return [...new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])];
}

/** Where (by name) any form of any of the secrets occurs in `haystacks`. */
export function findSecrets(haystacks: Record<string, string>, secrets: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [where, text] of Object.entries(haystacks)) {
    for (const [label, secret] of Object.entries(secrets)) {
      if (secretForms(secret).some((form) => text.includes(form))) found.push(`${label} in ${where}`);
    }
  }
  return found;
}
