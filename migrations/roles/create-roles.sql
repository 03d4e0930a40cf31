-- The two database roles (README: Database roles). docker-compose.yml runs
-- this once, when the Postgres volume is first created, as the cluster's
-- superuser (psql, so \getenv reads the passwords from the environment).
--
--   intake_owner  owns the database and its schema: `intake migrate` runs as
--                 it and grants intake_app what the service needs;
--   intake_app    the service (`intake serve`): owns nothing, cannot alter a
--                 table, and may only append to and read the audit log.
\set ON_ERROR_STOP on
\getenv owner_password INTAKE_OWNER_PASSWORD
\getenv app_password INTAKE_APP_PASSWORD

CREATE ROLE intake_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE intake_app LOGIN PASSWORD :'app_password';
CREATE DATABASE intake OWNER intake_owner;
REVOKE ALL ON DATABASE intake FROM PUBLIC;
GRANT CONNECT ON DATABASE intake TO intake_app;

\connect intake
-- Postgres 15 and later: the public schema belongs to the database's owner
-- and nobody else may create in it. Said here for older servers too.
ALTER SCHEMA public OWNER TO intake_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
