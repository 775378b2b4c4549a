-- The payments login role and database used by local runs and the integration tests.
-- Idempotent: infra/scripts/start-postgres.sh runs it on every start; the postgres image in
-- docker-compose.yml runs it once, on a new volume. Needs psql (\gexec): CREATE DATABASE cannot run in a DO block.

SELECT 'CREATE ROLE payments' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'payments')
\gexec

-- Superuser on a throwaway test server, so fault-injection tests may terminate backends and
-- migrations may create extensions; CREATEDB is what the per-test databases need.
ALTER ROLE payments WITH LOGIN SUPERUSER CREATEDB PASSWORD 'payments';

SELECT 'CREATE DATABASE payments OWNER payments' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'payments')
\gexec
