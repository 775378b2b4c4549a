#!/usr/bin/env bash
# Installs (when missing) and starts PostgreSQL and RabbitMQ for local runs and the integration tests,
# then prints the environment the tests read. Idempotent; a couple of seconds when both are already up.
#   bash infra/scripts/start-services.sh            # human-readable
#   eval "$(bash infra/scripts/start-services.sh)"  # export the variables into this shell
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bash "$INFRA_DIR/scripts/install-services.sh"
bash "$INFRA_DIR/scripts/start-postgres.sh"
bash "$INFRA_DIR/scripts/start-rabbitmq.sh"

# stdout carries only the exports, so the output can be eval'd; progress went to stderr.
cat <<VARS
export PAYMENTS_TEST_POSTGRES='$PAYMENTS_TEST_POSTGRES_DEFAULT'
export PAYMENTS_TEST_RABBITMQ='$PAYMENTS_TEST_RABBITMQ_DEFAULT'
export PAYMENTS_TEST_RABBITMQ_MANAGEMENT='$PAYMENTS_TEST_RABBITMQ_MANAGEMENT_DEFAULT'
export PAYMENTS_TEST_RABBITMQ_TLS='$PAYMENTS_TEST_RABBITMQ_TLS_DEFAULT'
export PAYMENTS_TEST_TLS_CA='$PAYMENTS_TEST_TLS_CA_DEFAULT'
VARS
