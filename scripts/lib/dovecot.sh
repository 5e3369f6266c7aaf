# shellcheck shell=bash
# Our own Dovecot IMAP server for the privacy mailbox: 127.0.0.1:51143, plain IMAP (loopback
# only, so no TLS), one user `privacy` in a passwd-file, Maildir under .local/dovecot/mail/%u.
# It runs from its own config file (dovecot -c), so the system /etc/dovecot is not used.
#
# Users involved: the master runs as root; the auth process (user dovecot) reads the passwd-file;
# the IMAP process accesses the mail as the system user `mail`.

IMAP_PORT=${IMAP_PORT:-51143}
DOVECOT_DIR="$LOCAL_DIR/dovecot"
DOVECOT_CONF="$DOVECOT_DIR/dovecot.conf"
DOVECOT_BASE="$DOVECOT_DIR/run"
DOVECOT_LOG="$DOVECOT_DIR/log/dovecot.log"
DOVECOT_USERS="$DOVECOT_DIR/users"
DOVECOT_MAIL="$DOVECOT_DIR/mail"
DOVECOT_MAIL_USER=mail

dovecot_prepare() {
  mkdir -p "$DOVECOT_DIR"/{run,state,log} "$DOVECOT_MAIL/privacy"
  chmod 755 "$DOVECOT_DIR"
  local uid gid
  uid=$(id -u "$DOVECOT_MAIL_USER")
  gid=$(id -g "$DOVECOT_MAIL_USER")
  chown -R "$uid:$gid" "$DOVECOT_MAIL"
  chmod 750 "$DOVECOT_MAIL"

  # The password is stored as {PLAIN}: the file is readable only by root and the dovecot group.
  (umask 027 && printf 'privacy:{PLAIN}%s\n' "$CLOSELY_IMAP_PASSWORD" >"$DOVECOT_USERS")
  chown root:dovecot "$DOVECOT_USERS"
  chmod 640 "$DOVECOT_USERS"

  cat >"$DOVECOT_CONF" <<EOF
# Written by scripts/lib/dovecot.sh on every start; edits are overwritten.
instance_name = closely-dovecot
base_dir = $DOVECOT_BASE
state_dir = $DOVECOT_DIR/state
log_path = $DOVECOT_LOG
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login

passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n $DOVECOT_USERS
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$DOVECOT_MAIL/%n
}
mail_location = maildir:~/Maildir
# Only the mail user may own mailboxes (the default minimum uid 500 would reject it).
first_valid_uid = $uid
last_valid_uid = $uid
first_valid_gid = $gid
last_valid_gid = $gid

service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
EOF
  for user in dovecot "$DOVECOT_MAIL_USER"; do
    ensure_traversable "$user" "$DOVECOT_DIR"
  done
  dovecot -c "$DOVECOT_CONF" -n >/dev/null 2>"$DOVECOT_DIR/log/config-check.log" || {
    show_log_tail "$DOVECOT_DIR/log/config-check.log"
    die "the generated Dovecot configuration is invalid"
  }
}

dovecot_pid() { read_pid "$DOVECOT_BASE/master.pid"; }

dovecot_stop_leftover() {
  stop_recorded "$DOVECOT_BASE/master.pid" "$DOVECOT_CONF" dovecot 30 "stopping Dovecot left running by an earlier run"
}

dovecot_check_ports() { require_port_free "$IMAP_PORT" 'Dovecot IMAP'; }

dovecot_launch() {
  log "starting Dovecot IMAP on 127.0.0.1:$IMAP_PORT"
  add_exit_hook dovecot_stop
  # dovecot forks into the background itself and writes base_dir/master.pid.
  dovecot -c "$DOVECOT_CONF" </dev/null >>"$DOVECOT_LOG" 2>&1 || {
    show_log_tail "$DOVECOT_LOG"
    die "Dovecot did not start"
  }
}

# The master in the foreground as our child (scripts/local-server.sh): should the script be
# killed, Dovecot gets TERM and stops too.
dovecot_spawn() {
  log "starting Dovecot IMAP on 127.0.0.1:$IMAP_PORT"
  add_exit_hook dovecot_stop
  setpriv --pdeathsig TERM -- dovecot -F -c "$DOVECOT_CONF" </dev/null >>"$DOVECOT_LOG" 2>&1 &
  # shellcheck disable=SC2034 # read by the caller
  DOVECOT_SPAWNED_PID=$!
}

# Ready = the server greets with "* OK".
dovecot_ready() {
  local greeting
  # shellcheck disable=SC2016 # $0 is expanded by the inner bash, where it is the port
  greeting=$(timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" && head -c 4 <&3' "$IMAP_PORT" 2>/dev/null) || return 1
  [[ $greeting == '* OK' ]]
}

dovecot_wait() {
  wait_ready Dovecot 30 "$(dovecot_pid)" "$DOVECOT_LOG" dovecot_ready
  # Log in once as the services will, so a broken passdb/userdb shows up here and not later.
  curl -s --max-time 10 -u "privacy:$CLOSELY_IMAP_PASSWORD" "imap://127.0.0.1:$IMAP_PORT/INBOX?ALL" >/dev/null || {
    show_log_tail "$DOVECOT_LOG"
    die "cannot log in to IMAP as privacy"
  }
}

dovecot_stop() {
  stop_recorded "$DOVECOT_BASE/master.pid" "$DOVECOT_CONF" dovecot 30 "stopping Dovecot"
}
