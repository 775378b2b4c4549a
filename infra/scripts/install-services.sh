#!/usr/bin/env bash
# Installs PostgreSQL 15 (the Debian 12 version), RabbitMQ, the AMQP command-line tools, openssl (local TLS) and chromium
# (the browser tests of the /ops page drive /usr/bin/chromium) from Debian's packages when missing.
# Idempotent: does nothing (and touches no network) when everything is already installed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

packages=("postgresql-$PG_VERSION" "postgresql-client-$PG_VERSION" rabbitmq-server amqp-tools curl openssl chromium)
missing=()
for package in "${packages[@]}"; do
  package_installed "$package" || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
  log "already installed: ${packages[*]}"
  exit 0
fi

require_root
log "installing: ${missing[*]}"

# The start scripts start the servers with this repository's settings; keep the packages' maintainer
# scripts from starting them with the distribution's defaults (the Docker-image convention).
policy=/usr/sbin/policy-rc.d
if [[ ! -e "$policy" ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  trap 'rm -f "$policy"' EXIT
fi

export DEBIAN_FRONTEND=noninteractive
# Package lists may already be fresh enough; one unreachable source must not stop the install.
apt-get update -q || log "apt-get update failed; installing from the package lists as they are"
apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
log "installed: ${missing[*]}"
