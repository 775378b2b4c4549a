#!/usr/bin/env bash
# The test command: starts PostgreSQL and RabbitMQ (infra/scripts/start-services.sh), points the tests at them,
# runs every test project of the solution and closes with one line "N passed, N failed, N skipped".
# Extra arguments go to `dotnet test` (e.g. --no-build, or --filter-class '*PostgresServerTests').
# Exit status: non-zero when dotnet test fails, any test fails, or no test ran.
#   PAYMENTS_TEST_POSTGRES / PAYMENTS_TEST_RABBITMQ / PAYMENTS_TEST_RABBITMQ_MANAGEMENT: used as set, else the local servers.
#   PAYMENTS_TEST_RABBITMQ_TLS / PAYMENTS_TEST_TLS_CA: the amqps:// listener and the CA of the local servers' certificate.
#   PAYMENTS_TEST_SKIP_SERVICES=1: do not start local servers (the variables point elsewhere).
#   PAYMENTS_TEST_RESULTS: where the TRX reports go (default TestResults/ at the repository root; emptied first).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

if [[ "${PAYMENTS_TEST_SKIP_SERVICES:-}" != 1 ]]; then
  bash "$INFRA_DIR/scripts/start-services.sh" >/dev/null
  bash "$INFRA_DIR/scripts/clean-test-leftovers.sh"
fi
export PAYMENTS_TEST_POSTGRES="${PAYMENTS_TEST_POSTGRES:-$PAYMENTS_TEST_POSTGRES_DEFAULT}"
export PAYMENTS_TEST_RABBITMQ="${PAYMENTS_TEST_RABBITMQ:-$PAYMENTS_TEST_RABBITMQ_DEFAULT}"
export PAYMENTS_TEST_RABBITMQ_MANAGEMENT="${PAYMENTS_TEST_RABBITMQ_MANAGEMENT:-$PAYMENTS_TEST_RABBITMQ_MANAGEMENT_DEFAULT}"
if [[ "${PAYMENTS_TEST_SKIP_SERVICES:-}" != 1 ]]; then
  export PAYMENTS_TEST_RABBITMQ_TLS="${PAYMENTS_TEST_RABBITMQ_TLS:-$PAYMENTS_TEST_RABBITMQ_TLS_DEFAULT}"
  export PAYMENTS_TEST_TLS_CA="${PAYMENTS_TEST_TLS_CA:-$PAYMENTS_TEST_TLS_CA_DEFAULT}"
fi

results="${PAYMENTS_TEST_RESULTS:-$REPO_ROOT/TestResults}"
rm -rf "$results"
mkdir -p "$results"

# Microsoft.Testing.Platform runner (global.json), one TRX report per test project (xunit's own reporter).
# Exit code 8 is "zero tests ran" for one project: a project without tests yet must not fail the run, so it is
# ignored here and the whole run's count is checked below instead.
status=0
# One test module at a time: the integration tier drives real brokers and databases hard, and on a 2-core
# machine running both tiers at once only turns waits into time-outs.
dotnet test --solution Payments.Workflows.sln --max-parallel-test-modules 1 \
  --results-directory "$results" --report-xunit-trx --ignore-exit-code 8 "$@" || status=$?

# Sum the <Counters .../> element of every TRX report: passed; failed (failed, error, timeout, aborted);
# skipped (notExecuted, which is how xunit reports skipped tests).
read -r passed failed skipped reports < <(
  find "$results" -name '*.trx' -exec grep -ho '<Counters [^>]*>' {} + 2>/dev/null |
    awk '{
      for (i = 2; i <= NF; i++) {
        split($i, pair, "=")
        gsub(/[^0-9]/, "", pair[2])
        count[pair[1]] += pair[2]
      }
    }
    END {
      print count["passed"] + 0, count["failed"] + count["error"] + count["timeout"] + count["aborted"], count["notExecuted"] + 0, NR
    }'
)

if ((status != 0)); then
  log "dotnet test exited with status $status"
fi
if ((reports == 0)); then
  log "no TRX report was written to $results"
fi
if ((passed + failed == 0)); then
  log "no test ran"
fi

# The failures again, at the end, where a CI log's tail shows them.
if ((failed > 0)) && command -v python3 >/dev/null; then
  printf '\n===== failed tests =====\n'
  find "$results" -name '*.trx' -exec python3 "$INFRA_DIR/scripts/trx-failures.py" {} + || true
fi

summary="$passed passed, $failed failed, $skipped skipped"
printf '%s\n' "$summary" >"$results/summary.txt"
printf '%s\n' "$summary"

if ((status != 0 || failed > 0 || passed + failed == 0)); then
  exit 1
fi
