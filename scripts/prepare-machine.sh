#!/usr/bin/env bash
# Prepares a Debian/Ubuntu machine for `npm test`: installs the system programs the tests run for real
# and starts PostgreSQL and Redis when they are down. Used by `.ci/run` and by `npm test` itself.
#
#   scripts/prepare-machine.sh [need …]     needs: pg redis prometheus chromium openssl (default: all)
#
# Where it cannot act (not root, no apt-get), it changes nothing and prints the exact commands to run,
# then exits 1. TEST_PG_URL / TEST_REDIS_URL pointing elsewhere mean "not managed here": only checked
# by `npm test` itself. Idempotent and quiet when everything is there.
set -uo pipefail

needs=("$@")
[ ${#needs[@]} -eq 0 ] && needs=(pg redis prometheus chromium openssl)
has() { local n; for n in "${needs[@]}"; do [ "$n" = "$1" ] && return 0; done; return 1; }

local_pg=1
local_redis=1
case "${TEST_PG_URL:-}" in "" | *@127.0.0.1:5432/* | *@localhost:5432/*) ;; *) local_pg=0 ;; esac
case "${TEST_REDIS_URL:-}" in "" | redis://127.0.0.1:6379* | redis://localhost:6379*) ;; *) local_redis=0 ;; esac

# ---- packages --------------------------------------------------------------------------------------
pkgs=()
has chromium && [ -z "${CHROMIUM_PATH:-}" ] && ! [ -x /usr/bin/chromium ] && pkgs+=(chromium)
has prometheus && [ -z "${PROMETHEUS_BIN:-}" ] && ! [ -x /usr/bin/prometheus ] && pkgs+=(prometheus)
has prometheus && [ -z "${ALERTMANAGER_BIN:-}" ] && ! [ -x /usr/bin/prometheus-alertmanager ] && pkgs+=(prometheus-alertmanager)
has openssl && ! [ -x /usr/bin/openssl ] && pkgs+=(openssl)
has pg && [ $local_pg = 1 ] && ! command -v pg_ctlcluster >/dev/null && pkgs+=(postgresql)
has redis && [ $local_redis = 1 ] && ! command -v redis-server >/dev/null && pkgs+=(redis-server)

root=0
[ "$(id -u)" = 0 ] && root=1
todo=()

if [ ${#pkgs[@]} -gt 0 ]; then
  if [ $root = 1 ] && command -v apt-get >/dev/null; then
    echo "prepare-machine: installing ${pkgs[*]} (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null ||
      { echo "prepare-machine: apt-get install ${pkgs[*]} failed" >&2; exit 1; }
    # A cluster we just created: the tests connect as postgres over 127.0.0.1 without a password.
    for p in "${pkgs[@]}"; do
      [ "$p" = postgresql ] || continue
      for hba in /etc/postgresql/*/main/pg_hba.conf; do
        sed -i -E 's/^(host[[:space:]]+all[[:space:]]+all[[:space:]]+(127\.0\.0\.1\/32|::1\/128)[[:space:]]+).*/\1trust/' "$hba"
        echo "prepare-machine: $hba: trust for 127.0.0.1 and ::1 (test machine)"
      done
    done
  elif command -v apt-get >/dev/null; then
    todo+=("sudo apt-get update && sudo apt-get install -y ${pkgs[*]}")
  else
    todo+=("install ${pkgs[*]} (Debian/Ubuntu package names; elsewhere set CHROMIUM_PATH, PROMETHEUS_BIN, ALERTMANAGER_BIN, TEST_PG_URL, TEST_REDIS_URL to what you have)")
  fi
fi

# ---- services --------------------------------------------------------------------------------------
pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; }
wait_for() { local _; for _ in $(seq 1 30); do "$@" && return 0; sleep 1; done; return 1; }

if has pg && [ $local_pg = 1 ] && command -v pg_ctlcluster >/dev/null && ! pg_up; then
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
  start="pg_ctlcluster --skip-systemctl-redirect ${version:-15} main start"
  if [ $root = 1 ] && [ -n "$version" ]; then
    echo "prepare-machine: starting PostgreSQL $version"
    $start && wait_for pg_up || { echo "prepare-machine: PostgreSQL did not start ($start)" >&2; exit 1; }
  else
    todo+=("sudo $start")
  fi
fi

if has redis && [ $local_redis = 1 ] && command -v redis-server >/dev/null && ! redis_up; then
  # No persistence: tests make their own key prefixes and need nothing kept.
  echo "prepare-machine: starting Redis on 127.0.0.1:6379"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir /tmp >/dev/null &&
    wait_for redis_up || { echo "prepare-machine: Redis did not start" >&2; exit 1; }
fi

if [ ${#todo[@]} -gt 0 ]; then
  echo "prepare-machine: this machine lacks what the tests run. Run:" >&2
  for t in "${todo[@]}"; do echo "  $t" >&2; done
  exit 1
fi
exit 0
