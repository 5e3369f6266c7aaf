#!/usr/bin/env bash
# Builds the platform (Closely.Platform.sln, the AppHost included) and runs every test project against
# real local servers (PostgreSQL, RabbitMQ, Dovecot IMAP, maildev) started under .local/ and stopped
# again at the end. tests/Closely.AppHostTests starts the whole AppHost beside them, with servers of
# its own on other ports.
#
#   ./test.sh                      # everything
#   ./test.sh --filter Category=X  # extra arguments go to every `dotnet test`
#
# Ends with one line "N passed, N failed"; exits non-zero if a test failed, a project failed to
# build or run, or no test ran at all. TRX reports are kept in .local/test-results/.
set -euo pipefail

cd "$(dirname "$0")"
# shellcheck source=scripts/servers.sh
source scripts/servers.sh

SOLUTION=Closely.Platform.sln
RESULTS_DIR="$LOCAL_DIR/test-results"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Browser tests use Debian's Chromium; Playwright must never download a browser of its own.
export PLAYWRIGHT_CHROMIUM_EXECUTABLE=/usr/bin/chromium
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# Test projects: tests/*/*.csproj that declare <IsTestProject>true</IsTestProject>.
find_test_projects() {
  local proj
  for proj in tests/*/*.csproj; do
    [[ -f $proj ]] && grep -q '<IsTestProject>[[:space:]]*true[[:space:]]*</IsTestProject>' "$proj" &&
      printf '%s\n' "$proj"
  done
  return 0
}

# sum_trx_counter NAME...: total of the given <Counters> attributes over all TRX files.
sum_trx_counter() {
  local total=0 file attr value
  for file in "$RESULTS_DIR"/*.trx; do
    [[ -f $file ]] || continue
    for attr in "$@"; do
      # A leading space keeps "passed" from matching "passedButRunAborted".
      value=$(grep -o '<Counters [^>]*>' "$file" | grep -o " $attr=\"[0-9]*\"" | tr -dc '0-9' || true)
      total=$((total + ${value:-0}))
    done
  done
  echo "$total"
}

# print_test_output NAME: what the tests of project NAME wrote to their output (each test result's <StdOut> in its
# TRX report, not the run's own log in the summary after them), which dotnet test shows only for a failed test. The
# fault test's figures and the benchmark smoke run's come out this way.
print_test_output() {
  local trx="$RESULTS_DIR/$1.trx"
  [[ -f $trx ]] || return 0
  log "$1 output"
  sed -n '/<ResultSummary/q; /<StdOut>/,/<\/StdOut>/p' "$trx" |
    sed -e 's/ *<\/\?StdOut>//g' -e 's/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&apos;/'"'"'/g; s/&amp;/\&/g'
}

main() {
  prepare_machine chromium
  start_servers

  rm -rf "$RESULTS_DIR"
  mkdir -p "$RESULTS_DIR"

  local -a projects failed_projects=()
  mapfile -t projects < <(find_test_projects)
  ((${#projects[@]} > 0)) || die "no test projects found under tests/"

  log "building $SOLUTION (Release)"
  # No build servers: nothing may linger after the run.
  if dotnet build "$SOLUTION" -c Release --disable-build-servers; then
    local proj name
    for proj in "${projects[@]}"; do
      name=$(basename "$proj" .csproj)
      log "testing $name"
      if ! dotnet test "$proj" --no-build -c Release --results-directory "$RESULTS_DIR" \
        --logger "trx;LogFileName=$name.trx" "$@"; then
        failed_projects+=("$name")
      elif [[ ! -f $RESULTS_DIR/$name.trx ]]; then
        failed_projects+=("$name (wrote no TRX report)")
      fi
    done
  else
    failed_projects+=("build of $SOLUTION")
  fi

  local passed failed total
  passed=$(sum_trx_counter passed)
  failed=$(sum_trx_counter failed error timeout aborted)
  total=$(sum_trx_counter total)

  # Stop the servers now, so that their shutdown messages come before the summary line.
  run_exit_hooks
  print_test_output Closely.FaultTests

  local status=0
  if ((${#failed_projects[@]} > 0)); then
    printf 'FAILED: %s\n' "${failed_projects[@]}" >&2
    status=1
  fi
  if ((total == 0)); then
    echo "ERROR: no test ran" >&2
    status=1
  fi
  ((failed == 0)) || status=1
  echo "$passed passed, $failed failed"
  return "$status"
}

main "$@"
