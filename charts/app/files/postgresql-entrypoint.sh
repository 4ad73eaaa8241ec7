#!/bin/sh
# Entrypoint of the chart's PostgreSQL (postgresql.enabled): initdb on an empty data directory, then a
# minimal postgresql.conf and pg_hba.conf (rewritten at every start, so a chart upgrade changes them), then
# exec postgres as PID 1 (it handles SIGTERM itself; the preStop hook asks for a fast shutdown).
# Env: PGBIN (initdb, postgres), PGDATA, POSTGRES_USER, POSTGRES_DB, POSTGRES_PASSWORD, PG_RUN_DIR
# (the unix socket directory) and, optionally, PG_EXTRA_CONFIG (lines appended to postgresql.conf).
set -eu
: "${PGBIN:?}" "${PGDATA:?}" "${POSTGRES_USER:?}" "${POSTGRES_DB:?}" "${POSTGRES_PASSWORD:?}" "${PG_RUN_DIR:?}"

# initdb and postgres need the running uid in /etc/passwd. The polyglot-cd image has user 10001; an
# image without it (e.g. the official postgres, which ships nss_wrapper for this) gets a passwd entry
# in /tmp through nss_wrapper.
if ! id -un >/dev/null 2>&1; then
  wrapper="$(find /usr/lib /usr/lib64 -name libnss_wrapper.so 2>/dev/null | head -n 1)"
  if [ -z "$wrapper" ]; then
    echo "entrypoint: uid $(id -u) has no /etc/passwd entry and the image has no nss_wrapper" >&2
    exit 1
  fi
  printf 'postgres:x:%s:%s:PostgreSQL:%s:/bin/false\n' "$(id -u)" "$(id -g)" "$PGDATA" >/tmp/passwd
  printf 'postgres:x:%s:\n' "$(id -g)" >/tmp/group
  export LD_PRELOAD="$wrapper" NSS_WRAPPER_PASSWD=/tmp/passwd NSS_WRAPPER_GROUP=/tmp/group
fi

# postgres refuses a data directory others can read (a volume's fsGroup adds group bits).
mkdir -p "$PGDATA"
chmod 700 "$PGDATA"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "entrypoint: empty data directory, running initdb"
  pwfile="$(mktemp)"
  trap 'rm -f "$pwfile"' EXIT
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  "$PGBIN/initdb" --pgdata="$PGDATA" --username="$POSTGRES_USER" --pwfile="$pwfile" \
    --auth=scram-sha-256 --encoding=UTF8 --no-locale --no-instructions
  rm -f "$pwfile"
  trap - EXIT
  if [ "$POSTGRES_DB" != postgres ]; then
    # single-user mode: no server, no socket, no password needed yet
    printf 'CREATE DATABASE "%s";\n' "$POSTGRES_DB" |
      "$PGBIN/postgres" --single -D "$PGDATA" -c unix_socket_directories="$PG_RUN_DIR" postgres >/dev/null
  fi
fi

cat >"$PGDATA/postgresql.conf" <<CONF
# written by the chart's entrypoint at every start: edit postgresql.extraConfig instead
listen_addresses = '*'
port = 5432
unix_socket_directories = '$PG_RUN_DIR'
password_encryption = scram-sha-256
max_connections = 50
shared_buffers = 32MB
dynamic_shared_memory_type = posix
log_destination = 'stderr'
logging_collector = off
log_timezone = 'UTC'
timezone = 'UTC'
${PG_EXTRA_CONFIG:-}
CONF

cat >"$PGDATA/pg_hba.conf" <<HBA
# written by the chart's entrypoint at every start
local all all scram-sha-256
host all all 0.0.0.0/0 scram-sha-256
host all all ::/0 scram-sha-256
HBA

exec "$PGBIN/postgres" -D "$PGDATA"
