-- Run by the postgres image on first start. The statement timeout every server connection starts
-- with, so that it also holds behind PgBouncer in transaction mode, where a per-connection setting
-- does not survive (docs/operations.md, "Running several instances"). Same value as DATABASE_STATEMENT_TIMEOUT_MS.
ALTER DATABASE customer_access SET statement_timeout = '10s';
