#!/usr/bin/env bash
# Make PostgreSQL and a Docker engine available for the integration tests (SPEC §8). Idempotent: run it as
# often as you like. Honours DATABASE_URL and DOCKER_HOST when they are given (then nothing is installed or
# started for that service; it is only checked). Prints the environment the tests use on its last lines.
#
#   bash scripts/test-services.sh            # start (installing docker.io, busybox-static, openssl, prometheus if missing)
#   env="$(bash scripts/test-services.sh --env)" && eval "$env"   # the same, then export DATABASE_URL, DOCKER_HOST
set -uo pipefail

PG_VERSION="${DIVE_PG_VERSION:-15}"
PG_ROLE="${DIVE_PG_ROLE:-dive}"
PG_PASSWORD="${DIVE_PG_PASSWORD:-dive}"
PG_DB="${DIVE_PG_DB:-dive}"
DEFAULT_DATABASE_URL="postgres://${PG_ROLE}:${PG_PASSWORD}@127.0.0.1:5432/${PG_DB}"
DOCKERD_LOG="${DIVE_DOCKERD_LOG:-/tmp/dive-dockerd.log}"
WAIT_SECONDS="${DIVE_SERVICES_WAIT:-90}"

say() { printf '[test-services] %s\n' "$*" >&2; }
fail() { printf '[test-services] ERROR: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else fail "need root to run: $*"; fi; }

apt_updated=0
apt_install() {
  local missing=()
  # Installed, not merely known: a removed package keeps its configuration ("deinstall ok config-files").
  for pkg in "$@"; do
    [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || fail "apt-get not found; install ${missing[*]} by hand"
  if [ $apt_updated = 0 ]; then
    say "apt-get update"
    as_root apt-get update -qq >/dev/null || fail "apt-get update failed"
    apt_updated=1
  fi
  say "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || fail "apt-get install ${missing[*]} failed"
}

# ---------------------------------------------------------------- PostgreSQL
pg_ready() { psql "$1" -Atqc 'select 1' >/dev/null 2>&1; }

start_postgres() {
  if [ -n "${DATABASE_URL:-}" ]; then
    say "DATABASE_URL given: checking it"
    pg_ready "$DATABASE_URL" || fail "DATABASE_URL is set but PostgreSQL does not answer: ${DATABASE_URL%%@*}@…"
    return 0
  fi
  if pg_ready "$DEFAULT_DATABASE_URL"; then say "PostgreSQL already running"; return 0; fi
  command -v pg_ctlcluster >/dev/null || apt_install "postgresql-${PG_VERSION}" postgresql-client
  command -v pg_ctlcluster >/dev/null || fail "PostgreSQL ${PG_VERSION} is not installed and could not be installed"
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "${PG_VERSION} main"; then
    say "creating cluster ${PG_VERSION}/main"
    as_root pg_createcluster "${PG_VERSION}" main >/dev/null || fail "pg_createcluster ${PG_VERSION} main failed"
  fi
  if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main" {print $4}' | grep -q online; then
    say "starting PostgreSQL ${PG_VERSION}/main"
    as_root pg_ctlcluster --skip-systemctl-redirect "${PG_VERSION}" main start \
      || fail "pg_ctlcluster ${PG_VERSION} main start failed (see /var/log/postgresql/)"
  fi
  local i
  for i in $(seq 1 "$WAIT_SECONDS"); do
    as_root su postgres -c "psql -Atqc 'select 1'" >/dev/null 2>&1 && break
    sleep 1
  done
  as_root su postgres -c "psql -v ON_ERROR_STOP=1 -q" >/dev/null <<SQL || fail "could not create role ${PG_ROLE} / database ${PG_DB}"
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${PG_ROLE}') THEN
    CREATE ROLE ${PG_ROLE} LOGIN SUPERUSER PASSWORD '${PG_PASSWORD}';
  END IF;
END \$\$;
SELECT 'CREATE DATABASE ${PG_DB} OWNER ${PG_ROLE}' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${PG_DB}')\gexec
ALTER SYSTEM SET max_connections = 300;
SQL
  # max_connections takes a restart; do it once, when it is still the default.
  if [ "$(as_root su postgres -c "psql -Atqc 'show max_connections'")" != 300 ]; then
    as_root pg_ctlcluster --skip-systemctl-redirect "${PG_VERSION}" main restart || fail "PostgreSQL restart failed"
  fi
  for i in $(seq 1 "$WAIT_SECONDS"); do pg_ready "$DEFAULT_DATABASE_URL" && return 0; sleep 1; done
  fail "PostgreSQL did not answer at ${DEFAULT_DATABASE_URL%%@*}@127.0.0.1:5432 within ${WAIT_SECONDS}s"
}

# ---------------------------------------------------------------- Docker
docker_ready() { timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

start_docker() {
  # openssl: the multi-host tests generate TLS certificates for a second dockerd (startSecondDockerd)
  apt_install busybox-static openssl
  if [ -n "${DOCKER_HOST:-}" ]; then
    say "DOCKER_HOST given: checking it"
    command -v docker >/dev/null || apt_install docker.io
    docker_ready || fail "DOCKER_HOST=${DOCKER_HOST} is set but no Docker engine answers there"
    return 0
  fi
  if command -v docker >/dev/null && docker_ready; then say "Docker engine already running"; return 0; fi
  command -v dockerd >/dev/null || apt_install docker.io
  command -v dockerd >/dev/null || fail "dockerd is not installed and could not be installed (docker.io)"
  if ! pgrep -x dockerd >/dev/null; then
    say "starting dockerd (no bridge, no iptables); log: ${DOCKERD_LOG}"
    as_root bash -c "nohup dockerd --bridge=none --iptables=false --ip-forward=false --ip-masq=false >'${DOCKERD_LOG}' 2>&1 &"
  fi
  local i
  for i in $(seq 1 "$WAIT_SECONDS"); do docker_ready && return 0; sleep 1; done
  tail -n 20 "$DOCKERD_LOG" >&2 2>/dev/null
  fail "the Docker engine did not answer within ${WAIT_SECONDS}s (log above, ${DOCKERD_LOG})"
}

# ---------------------------------------------------------------- promtool (Prometheus' metric linter)
ensure_promtool() { command -v promtool >/dev/null || apt_install prometheus; command -v promtool >/dev/null || fail "promtool not found after installing prometheus"; }

# ---------------------------------------------------------------- chromium (the dashboard's browser tests)
ensure_chromium() { [ -x /usr/bin/chromium ] || apt_install chromium; [ -x /usr/bin/chromium ] || fail "/usr/bin/chromium not found after installing chromium"; }

# ---------------------------------------------------------------- firefox-esr (the dashboard's Firefox test, WebDriver BiDi)
ensure_firefox() { [ -x /usr/bin/firefox-esr ] || apt_install firefox-esr; [ -x /usr/bin/firefox-esr ] || fail "/usr/bin/firefox-esr not found after installing firefox-esr"; }

# Everything the tools print goes to stderr; stdout carries only the --env lines, since callers eval it
# (pg_ctlcluster, for one, prints "Removed stale pid file." on stdout after an unclean shutdown). No extra file
# descriptor is opened for that: the daemons started here would inherit it and hold the caller's $(...) open.
{
  start_postgres
  start_docker
  ensure_promtool
  ensure_chromium
  ensure_firefox
} >&2
say "ready: PostgreSQL, Docker $(docker version --format '{{.Server.Version}}' 2>/dev/null), promtool, chromium, firefox-esr"
if [ "${1:-}" = "--env" ]; then
  printf 'export DATABASE_URL=%q\n' "${DATABASE_URL:-$DEFAULT_DATABASE_URL}"
  [ -n "${DOCKER_HOST:-}" ] && printf 'export DOCKER_HOST=%q\n' "$DOCKER_HOST"
fi
exit 0
