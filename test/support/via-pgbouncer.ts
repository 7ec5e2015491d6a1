// Read by stack.ts: this project's stacks put PgBouncer (transaction mode) in front of PostgreSQL.
process.env.E2E_POSTGRES_VIA = 'pgbouncer';
