# Shared helpers for the infra scripts. Sourced, never run.
# shellcheck shell=bash

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_ROOT="$(cd "$INFRA_DIR/.." && pwd)"

PG_VERSION=15
PG_CLUSTER=main
PG_PORT=5432

RABBITMQ_AMQP_PORT=5672
RABBITMQ_AMQPS_PORT=5671
RABBITMQ_MANAGEMENT_PORT=15672
RABBITMQ_PROMETHEUS_PORT=15692
# The node's own copy of infra/rabbitmq (the repository may sit where the rabbitmq user cannot read).
RABBITMQ_RUNTIME_DIR=/var/lib/rabbitmq/payments-workflows
# The local certificate authority and the servers' certificate (infra/scripts/make-tls.sh); never committed.
TLS_DIR=/var/lib/payments-workflows/tls
TLS_CA_FILE=$TLS_DIR/ca.pem

# Broker users besides the administrator (docs/operations.md, "Transport security"): local-only passwords, equal to the user name, set by
# start-rabbitmq.sh. The definitions give them no password; compose sets theirs from required variables.
RABBITMQ_ADMIN_USER=payments
RABBITMQ_SERVICE_USER=payments-service
RABBITMQ_PUBLISHER_USER=payments-publisher
RABBITMQ_OPS_USER=payments-ops

log() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

require_root() {
  [[ "$(id -u)" == 0 ]] || die "run as root (the scripts install packages and start services as their own users)"
}

# wait_until <seconds> <description> <command...>: polls the command every 0.2 s until it succeeds.
wait_until() {
  local timeout=$1 what=$2; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      log "timed out after ${timeout}s waiting for $what"
      return 1
    fi
    sleep 0.2
  done
}

package_installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == installed ]]
}

# What the integration tests read (tests/Payments.Workflows.IntegrationTests/Fixtures). Credentials are
# the throwaway test ones created by infra/postgres/init.sql and infra/rabbitmq/definitions.json.
# No TLS on the loopback: Debian's PostgreSQL offers it (snakeoil certificate) and Npgsql takes it by default,
# which cost about a third of the benchmark process's CPU in encryption for a connection that never leaves the host.
PAYMENTS_TEST_POSTGRES_DEFAULT="Host=127.0.0.1;Port=$PG_PORT;Username=payments;Password=payments;Database=payments;SSL Mode=Disable"
PAYMENTS_TEST_RABBITMQ_DEFAULT="amqp://payments:payments@127.0.0.1:$RABBITMQ_AMQP_PORT/"
PAYMENTS_TEST_RABBITMQ_MANAGEMENT_DEFAULT="http://payments:payments@127.0.0.1:$RABBITMQ_MANAGEMENT_PORT/"
# TLS: the broker's amqps:// listener (name localhost, as the certificate says) and the CA that signed the
# certificate of both servers (PostgreSQL serves it too, for SSL Mode=VerifyFull).
PAYMENTS_TEST_RABBITMQ_TLS_DEFAULT="amqps://payments:payments@localhost:$RABBITMQ_AMQPS_PORT/"
PAYMENTS_TEST_TLS_CA_DEFAULT="$TLS_CA_FILE"
