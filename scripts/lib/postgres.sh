# shellcheck shell=bash
# Our own PostgreSQL instance: 127.0.0.1:55432, data in .local/postgres/data, unix socket in
# .local/postgres/run. PostgreSQL refuses to run as root, so initdb, pg_ctl and the admin psql
# run as the `postgres` system user, and .local/postgres belongs to it.

PG_PORT=${PG_PORT:-55432}
PG_DIR="$LOCAL_DIR/postgres"
PG_DATA="$PG_DIR/data"
PG_RUN="$PG_DIR/run"
PG_LOG="$PG_DIR/postgres.log"
PG_BIN=''

# The newest installed server, unless the data folder was made by another installed version.
postgres_find_bin() {
  local version=''
  if [[ -s $PG_DATA/PG_VERSION ]]; then
    version=$(<"$PG_DATA/PG_VERSION")
    [[ -x /usr/lib/postgresql/$version/bin/postgres ]] ||
      die "${PG_DATA#"$ROOT_DIR"/} was created by PostgreSQL $version, which is not installed; delete .local/postgres to start afresh"
  else
    version=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null |
      awk -F/ '{print $5}' | sort -V | tail -n 1)
    [[ -n $version ]] || die "no PostgreSQL server found under /usr/lib/postgresql (package postgresql)"
  fi
  PG_BIN="/usr/lib/postgresql/$version/bin"
}

PG_CTL_LOG="$PG_DIR/pg_ctl.log"

# pg_ctl as postgres, its messages (e.g. "waiting for server to start....") into pg_ctl.log.
pg_ctl_as_postgres() { (as_user postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" "$@") >>"$PG_CTL_LOG" 2>&1; }

# A server left running by an earlier, killed run is stopped; a stale postmaster.pid whose pid
# now belongs to another program (common after a reboot) is removed, since PostgreSQL would
# otherwise refuse to start ("lock file already exists").
postgres_stop_leftover() {
  local pid
  pid=$(read_pid "$PG_DATA/postmaster.pid")
  [[ -n $pid ]] || return 0
  if pid_matches "$pid" "$PG_DATA"; then
    log "stopping PostgreSQL left running by an earlier run (pid $pid)"
    pg_ctl_as_postgres stop -m fast -t 60 || stop_pid "$pid" postgres 30
  else
    rm -f "$PG_DATA/postmaster.pid" "$PG_RUN"/.s.PGSQL.*
  fi
}

postgres_init() {
  mkdir -p "$PG_DIR" "$PG_RUN"
  chown postgres:postgres "$PG_DIR" "$PG_RUN"
  chmod 700 "$PG_DIR" "$PG_RUN"
  ensure_traversable postgres "$PG_DIR"
  postgres_find_bin

  if [[ ! -s $PG_DATA/PG_VERSION ]]; then
    if [[ -d $PG_DATA ]] && [[ -n $(ls -A "$PG_DATA") ]]; then
      die "${PG_DATA#"$ROOT_DIR"/} is not empty but holds no cluster (interrupted initdb?); delete it and run again"
    fi
    log "creating the PostgreSQL cluster in ${PG_DATA#"$ROOT_DIR"/}"
    # peer auth on the socket (only for the postgres user's admin psql below), passwords on TCP.
    (as_user postgres "$PG_BIN/initdb" -D "$PG_DATA" --username=postgres --encoding=UTF8 \
      --locale=C.UTF-8 --auth-local=peer --auth-host=scram-sha-256) >"$PG_DIR/initdb.log" 2>&1 ||
      {
        show_log_tail "$PG_DIR/initdb.log"
        die "initdb failed"
      }
    # Our settings live in an included file that is rewritten on every start, so the paths stay
    # right if the repository moves, and `pg_ctl start` by hand uses the same settings.
    echo "include_if_exists = 'closely.conf'" >>"$PG_DATA/postgresql.conf"
  fi
  cat >"$PG_DATA/closely.conf" <<EOF
# Written by scripts/lib/postgres.sh on every start; edits are overwritten.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_RUN'
password_encryption = 'scram-sha-256'
# The tests start whole services in-process, each with a connection pool per test database.
max_connections = 400
EOF
  chown postgres:postgres "$PG_DATA/closely.conf"
}

postgres_check_ports() { require_port_free "$PG_PORT" PostgreSQL; }

postgres_start() {
  log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
  add_exit_hook postgres_stop
  # -w waits until the server accepts connections (or -t seconds pass).
  if ! pg_ctl_as_postgres start -w -t 60 -l "$PG_LOG"; then
    show_log_tail "$PG_CTL_LOG" "$PG_LOG"
    die "PostgreSQL did not start"
  fi
}

# The server as our child in the foreground (scripts/local-server.sh), rather than pg_ctl's daemon:
# should the script be killed, the server gets INT (fast shutdown) and stops too.
postgres_spawn() {
  log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
  add_exit_hook postgres_stop
  DEATH_SIGNAL=INT spawn_as_user postgres "$PG_LOG" "$PG_BIN/postgres" -D "$PG_DATA"
  # shellcheck disable=SC2034 # read by the caller
  PG_SPAWNED_PID=$SPAWNED_PID
  wait_ready PostgreSQL 60 "$PG_SPAWNED_PID" "$PG_LOG" "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"
}

# Role `closely` (login, CREATEDB for the test fixtures) and database `closely`, created once; the
# password is set on every start so it always matches .local/secrets.env. Then the services' own roles
# and their schemas in `closely` (scripts/lib/service-accounts.sh, ADR 40).
postgres_provision() {
  require_service_passwords POSTGRES
  psql_as_postgres postgres <<SQL || die "could not create the PostgreSQL roles/database"
\set pw '$CLOSELY_POSTGRES_PASSWORD'
SELECT 'CREATE ROLE closely' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'closely') \gexec
ALTER ROLE closely WITH LOGIN CREATEDB PASSWORD :'pw';
SELECT 'CREATE DATABASE closely OWNER closely'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'closely') \gexec
$(postgres_service_roles_sql)
SQL
  postgres_service_schemas_sql | psql_as_postgres closely || die "could not set up the services' schemas in closely"
  # Check the path the services use: TCP with the password.
  PGPASSWORD=$CLOSELY_POSTGRES_PASSWORD "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U closely -d closely \
    -X -tAc 'SELECT 1' >/dev/null || die "cannot log in to PostgreSQL as closely over TCP"
}

# psql_as_postgres DATABASE: runs the SQL on stdin as the superuser over the unix socket (peer auth).
psql_as_postgres() {
  (as_user postgres "$PG_BIN/psql" -h "$PG_RUN" -p "$PG_PORT" -U postgres -d "$1" -X -q -v ON_ERROR_STOP=1) >/dev/null
}

postgres_stop() {
  local pid
  pid=$(read_pid "$PG_DATA/postmaster.pid")
  pid_matches "${pid:-x}" "$PG_DATA" || return 0
  log "stopping PostgreSQL"
  pg_ctl_as_postgres stop -m fast -t 60 || stop_pid "$pid" postgres 30
}
