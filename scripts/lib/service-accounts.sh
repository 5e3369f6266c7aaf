# shellcheck shell=bash
# The services' own accounts (ADR 40): one PostgreSQL login role and one RabbitMQ user per service, each
# with a generated password (CLOSELY_POSTGRES_PASSWORD_<ACCOUNT>, CLOSELY_RABBITMQ_PASSWORD_<ACCOUNT>; in
# .local/secrets.env for run.sh and test.sh, AppHost parameters under the AppHost). The administrator
# `closely` stays for the operator, the sample-store seeding and the test fixtures; no service uses it.
#
# PostgreSQL: closely_<account>, neither superuser nor CREATEDB nor CREATEROLE. The platform database's
# services own their schema in `closely` and nothing else (no CONNECT to another database, no CREATE on
# `public` or the database); their migrations run as the same role. The store roles closely_locator and
# closely_executor get no schema: the sample-store seeding grants them the store tables they act on
# (services/Stores/Operations/StoreAccess.cs). `closely` is made a member of every role, so that the
# operator still reads everything and can create a service's schema in another database.
#
# RabbitMQ: closely_<account> on the vhost /, no tags (no management UI), with configure/write/read
# permissions as regexes over its own queues and the exchanges it declares, publishes to and binds from.

# account -> its schema in the platform database (none for the store roles)
SERVICE_ACCOUNTS=(intake identity cases notification locator executor)
declare -A SERVICE_SCHEMAS=([intake]=intake [identity]=identity [cases]=cases [notification]=notification)

# The password variables of an account: service_password_var POSTGRES|RABBITMQ ACCOUNT.
service_password_var() { printf 'CLOSELY_%s_PASSWORD_%s' "$1" "${2^^}"; }

service_password() {
  local var
  var=$(service_password_var "$1" "$2")
  [[ -n ${!var:-} ]] || die "$var (the password of the $2 account) is not set"
  printf '%s' "${!var}"
}

# require_service_passwords POSTGRES|RABBITMQ: every account's password is set (fails before any SQL runs).
require_service_passwords() {
  local account
  for account in "${SERVICE_ACCOUNTS[@]}"; do service_password "$1" "$account" >/dev/null; done
}

# --- PostgreSQL ---------------------------------------------------------------------------------

# The roles, for psql as the superuser on the maintenance database: created once, attributes and
# password set on every start so they always match the secrets.
postgres_service_roles_sql() {
  local account role
  echo 'SET client_min_messages = warning;'
  for account in "${SERVICE_ACCOUNTS[@]}"; do
    role=closely_$account
    cat <<SQL
SELECT 'CREATE ROLE $role' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') \\gexec
ALTER ROLE $role WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '$(service_password POSTGRES "$account")';
GRANT $role TO closely;
SQL
  done
}

# The platform database's schemas, for psql as the superuser on `closely`: nobody but the owner and the
# services may connect, nobody may create in `public`, and each service owns its schema with everything in it
# (tables an earlier version migrated as `closely` are handed over).
postgres_service_schemas_sql() {
  local account role schema
  cat <<SQL
REVOKE ALL ON DATABASE closely FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
  for account in "${!SERVICE_SCHEMAS[@]}"; do
    role=closely_$account
    schema=${SERVICE_SCHEMAS[$account]}
    cat <<SQL
GRANT CONNECT ON DATABASE closely TO $role;
CREATE SCHEMA IF NOT EXISTS $schema AUTHORIZATION $role;
ALTER SCHEMA $schema OWNER TO $role;
SELECT format('ALTER TABLE %I.%I OWNER TO $role', n.nspname, c.relname) FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = '$schema' AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relowner <> '$role'::regrole \\gexec
SELECT format('ALTER SEQUENCE %I.%I OWNER TO $role', n.nspname, c.relname) FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = '$schema' AND c.relkind = 'S' AND c.relowner <> '$role'::regrole \\gexec
SELECT format('ALTER TYPE %I.%I OWNER TO $role', n.nspname, t.typname) FROM pg_type t
  JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE n.nspname = '$schema' AND t.typtype IN ('e', 'd') AND t.typowner <> '$role'::regrole \\gexec
SQL
  done
}

# --- RabbitMQ -----------------------------------------------------------------------------------

# Names as MassTransit makes them (kebab-case endpoints, services/Contracts/CommandQueues.cs). A receive
# endpoint <q> declares the queue and the fanout exchange <q> (and <q>_error, <q>_skipped when a message
# fails or is skipped), binds exchange <q> to queue <q>, and binds the exchange of each message type it
# consumes (Closely.Contracts:<Type>) to exchange <q>. Publishing declares the message type's exchange and
# writes to it; a consumer that fails for good publishes Fault<T> (MassTransit:Fault--<T>-- bound to
# MassTransit:Fault). Sending to queue:<q> declares exchange and queue <q> and binds them, as <q>'s own
# endpoint does. RabbitMQ checks: declare (and delete) -> configure on the name; publish -> write on the
# exchange; bind -> write on the destination, read on the source; consume -> read on the queue.
RABBIT_CONTRACTS='Closely\.Contracts:[A-Za-z]+'
RABBIT_FAULTS='MassTransit:Fault(--.+--)?'

# rabbit_endpoints QUEUE...: a regex of the queues (with their _error/_skipped) and their exchanges.
rabbit_endpoints() {
  local IFS='|'
  printf '(%s)(_error|_skipped)?' "$*"
}

# account -> its own receive endpoints (RABBIT_OWN), the command queues it sends to (RABBIT_SENDS) and the
# message types only it publishes and consumes (RABBIT_PRIVATE_TYPES: the console's commands to the saga).
declare -A RABBIT_OWN=(
  [intake]=$(rabbit_endpoints case-status client-callback request-retention)
  [identity]=$(rabbit_endpoints verify-identity verification-retention)
  [cases]=$(rabbit_endpoints case-saga authority-document)
  [notification]=$(rabbit_endpoints send-notification)
  [locator]=$(rabbit_endpoints locate-subject-data export-store-data assemble-data-package)
  [executor]=$(rabbit_endpoints execute-store-action)
)
declare -A RABBIT_SENDS=(
  [identity]='send-notification'
  [cases]='verify-identity|locate-subject-data|execute-store-action|export-store-data|assemble-data-package|send-notification'
)
declare -A RABBIT_PRIVATE_TYPES=(
  [cases]='Closely\.Cases\.Saga:[A-Za-z]+'
)

# rabbit_permissions ACCOUNT: the JSON body of PUT /api/permissions/%2F/closely_<account>.
rabbit_permissions() {
  local names="${RABBIT_OWN[$1]}|$RABBIT_CONTRACTS" configure read
  names+="${RABBIT_SENDS[$1]:+|${RABBIT_SENDS[$1]}}${RABBIT_PRIVATE_TYPES[$1]:+|${RABBIT_PRIVATE_TYPES[$1]}}"
  # Declares and writes to: its endpoints, the message-type and fault exchanges, the queues it sends to.
  configure="^($names|$RABBIT_FAULTS)\$"
  # Reads: its own queues, the exchanges it binds from (message types, faults, the queues' exchanges it sends to).
  read="^($names|MassTransit:Fault--.+--)\$"
  # JSON strings: a backslash is written twice.
  printf '{"configure":"%s","write":"%s","read":"%s"}' "${configure//\\/\\\\}" "${configure//\\/\\\\}" "${read//\\/\\\\}"
}

# Creates or updates the service users through the management API as `closely` (the CLI would start an
# Erlang VM per call): PUT is idempotent, so every start leaves each user with its password and permissions.
rabbitmq_provision_services() {
  local account user base="http://127.0.0.1:$RABBIT_MGMT_PORT/api" auth=(-u "closely:$CLOSELY_RABBITMQ_PASSWORD")
  require_service_passwords RABBITMQ
  for account in "${SERVICE_ACCOUNTS[@]}"; do
    user=closely_$account
    curl -fsS -o /dev/null --max-time 10 "${auth[@]}" -X PUT -H 'content-type: application/json' \
      --data "{\"password\":\"$(service_password RABBITMQ "$account")\",\"tags\":\"\"}" "$base/users/$user" &&
      curl -fsS -o /dev/null --max-time 10 "${auth[@]}" -X PUT -H 'content-type: application/json' \
        --data "$(rabbit_permissions "$account")" "$base/permissions/%2F/$user" ||
      die "could not set up the RabbitMQ user $user"
  done
  # The services' users may not set policies, so the error queues' retention (ADR 38) is put here, on the vhost they use.
  curl -fsS -o /dev/null --max-time 10 "${auth[@]}" -X PUT -H 'content-type: application/json' \
    --data '{"pattern":"_(error|skipped)$","apply-to":"queues","priority":10,"definition":{"message-ttl":1209600000}}' \
    "$base/policies/%2F/closely-error-retention" || die "could not set the error queues' retention policy"
}
