-- One PostgreSQL server, one database per service that owns state (each service's Flyway creates its schema).
-- Run once by the postgres image on an empty data directory (docker-compose.yml), and by the dev overlay's
-- PostgreSQL (mounted into /docker-entrypoint-initdb.d). The owner is the POSTGRES_USER the server was made with.
CREATE DATABASE nuvola_inventory OWNER nuvola;
CREATE DATABASE nuvola_migration OWNER nuvola;
