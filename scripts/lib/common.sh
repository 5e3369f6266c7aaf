# shellcheck shell=bash
# Small helpers shared by run.sh and test.sh: logging, exit hooks, running a command as a
# system user, waiting for readiness, and stopping processes recorded in pid files.
# Sourced by scripts/servers.sh, which sets ROOT_DIR and LOCAL_DIR first.

log() { printf '==> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 1
}

# Print the last lines of one or more log files, so a failure shows its cause right away.
show_log_tail() {
  local file
  for file in "$@"; do
    if [[ -s $file ]]; then
      printf -- '----- last 40 lines of %s -----\n' "$file" >&2
      tail -n 40 "$file" >&2
      printf -- '----- end of %s -----\n' "$file" >&2
    else
      printf -- '(log %s is empty or missing)\n' "$file" >&2
    fi
  done
}

# --- exit hooks ---------------------------------------------------------------------------
# Everything we start registers a stop function here. The hooks run in reverse order (services
# before the servers they use) on normal exit, on failure (set -e) and on Ctrl-C / TERM.
EXIT_HOOKS=()

add_exit_hook() { EXIT_HOOKS+=("$1"); }

run_exit_hooks() {
  local i had_errexit=0
  [[ $- == *e* ]] && had_errexit=1
  set +e
  # A second Ctrl-C must not cut the clean-up short and leave servers behind.
  trap '' INT TERM
  for ((i = ${#EXIT_HOOKS[@]} - 1; i >= 0; i--)); do
    "${EXIT_HOOKS[i]}"
  done
  EXIT_HOOKS=()
  trap 'exit 130' INT
  trap 'exit 143' TERM
  if ((had_errexit)); then set -e; fi
  return 0
}

install_exit_traps() {
  trap run_exit_hooks EXIT
  # Turning the signals into exit lets the EXIT trap do the clean-up in one place.
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# --- users and processes ------------------------------------------------------------------

# as_user USER CMD...: run CMD as a system user (PostgreSQL refuses to run as root, and the
# RabbitMQ/Dovecot files belong to their users). It starts in / so that the user never needs
# access to our working directory.
#
# A rule for every script here: redirect the output of a shell function or { group } only from
# a ( subshell ). Bash applies such a redirection in the main shell itself, and a Ctrl-C trap
# that fires meanwhile would run the clean-up with its messages going to /dev/null or a log.
as_user() {
  local user=$1
  shift
  setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups -- env --chdir=/ "$@"
}

# spawn_as_user USER LOGFILE CMD...: like as_user, in the background, output appended to LOGFILE.
# It is one simple command, so the forked child execs setpriv -> env -> CMD in place and
# SPAWNED_PID is the server's own pid (a function or subshell in between would get that pid
# instead, and signalling it would leave the server orphaned). Should this script die without
# its clean-up (SIGKILL), the server gets the signal DEATH_SIGNAL (default TERM) and stops too.
spawn_as_user() {
  local user=$1 logfile=$2
  shift 2
  setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups --pdeathsig "${DEATH_SIGNAL:-TERM}" \
    -- env --chdir=/ "$@" </dev/null >>"$logfile" 2>&1 &
  # shellcheck disable=SC2034 # read by the callers
  SPAWNED_PID=$!
}

# pid_running PID: the process exists and is not a zombie (an exited child we have not reaped).
pid_running() {
  local pid=$1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null
}

# pid_matches PID TEXT: the process is running and its command line contains TEXT. Pid files
# outlive their processes (a killed run, a reboot), and the pid may belong to another program by
# now: never signal a pid from a pid file without this check.
pid_matches() {
  local pid=$1 text=$2
  pid_running "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$text"
}

# read_pid FILE: first line of a pid file, or nothing.
read_pid() {
  [[ -r $1 ]] && head -n 1 "$1" | tr -dc '0-9'
  return 0
}

# stop_pid PID NAME [TIMEOUT]: TERM, wait up to TIMEOUT seconds, then KILL.
stop_pid() {
  local pid=$1 name=$2 timeout=${3:-30} waited=0
  pid_running "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  while pid_running "$pid"; do
    if ((waited >= timeout * 10)); then
      warn "$name (pid $pid) did not stop within ${timeout}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  # Reap it if it is our child, so it does not linger as a zombie.
  wait "$pid" 2>/dev/null || true
}

# stop_recorded PIDFILE TEXT NAME TIMEOUT MESSAGE: stop the process a pid file records if it is still
# ours (pid_matches TEXT), saying MESSAGE, then remove the pid file.
stop_recorded() {
  local file=$1 text=$2 name=$3 timeout=$4 message=$5 pid
  pid=$(read_pid "$file")
  if [[ -n $pid ]] && pid_matches "$pid" "$text"; then
    log "$message (pid $pid)"
    stop_pid "$pid" "$name" "$timeout"
  fi
  rm -f "$file"
}

# --- ports and readiness --------------------------------------------------------------------

# tcp_open PORT: something accepts connections on 127.0.0.1:PORT.
tcp_open() {
  # shellcheck disable=SC2016 # $0 is expanded by the inner bash, where it is the port
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0"' "$1" 2>/dev/null
}

# require_port_free PORT WHAT: fail clearly when another program already holds one of our ports.
require_port_free() {
  local port=$1 what=$2
  if tcp_open "$port"; then
    {
      printf 'ERROR: port 127.0.0.1:%s (%s) is already in use by another program:\n' "$port" "$what"
      ss -ltnp "sport = :$port" 2>/dev/null || true
      printf 'Stop that program, then run this script again.\n'
    } >&2
    exit 1
  fi
}

# http_status URL [CURL ARGS...]: the HTTP status code, or 000 when nothing answered.
http_status() {
  local url=$1
  shift
  curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$@" "$url" 2>/dev/null || true
}

# wait_ready NAME TIMEOUT PID LOGS CHECK...: poll CHECK until it succeeds. Fails (with the log
# tail) on timeout, or at once if PID (when not empty) has exited. LOGS is a space-separated list.
wait_ready() {
  local name=$1 timeout=$2 pid=$3 logs=$4
  shift 4
  local deadline=$((SECONDS + timeout))
  until "$@"; do
    if [[ -n $pid ]] && ! pid_running "$pid"; then
      printf 'ERROR: %s exited during start-up\n' "$name" >&2
      # shellcheck disable=SC2086 # logs is a list of paths without spaces in their names.
      show_log_tail $logs
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      printf 'ERROR: %s was not ready after %ss\n' "$name" "$timeout" >&2
      # shellcheck disable=SC2086
      show_log_tail $logs
      exit 1
    fi
    sleep 0.5
  done
}

# --- files ------------------------------------------------------------------------------------

# ensure_traversable USER DIR: USER must be able to reach DIR (search permission on every parent).
# The repository may live under /root (mode 700), and the postgres/rabbitmq/dovecot users need
# to reach their folders under .local. We add o+x (search, not listing or reading) to exactly the
# parents that block them, and say so; nothing changes when the path is already reachable.
ensure_traversable() {
  local user=$1 target=$2 path='' part
  local -a parts
  IFS=/ read -r -a parts <<<"${target#/}"
  for part in '' "${parts[@]}"; do
    path="${path%/}/$part"
    if ! as_user "$user" test -x "$path"; then
      log "making $path traversable (chmod o+x) so that user '$user' can reach $target"
      chmod o+x "$path"
      as_user "$user" test -x "$path" ||
        die "user '$user' still cannot enter $path (ACLs or mount options?); move the repository elsewhere"
    fi
  done
}

# random_hex BYTES / random_base64 BYTES: secrets from the kernel's CSPRNG (no openssl needed).
random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
random_base64() { head -c "$1" /dev/urandom | base64 -w0; }

# ecdsa_p256_key: a new ECDSA P-256 private key, base64 of its PKCS#8 DER form (the audit anchors' signing key).
ecdsa_p256_key() {
  openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -outform DER | base64 -w0
}
