#!/usr/bin/env bash
# The throughput benchmark (issue 13, ADR 37): starts the servers as ./test.sh does (the same ports, so not beside
# it), builds Closely.Platform.sln, and runs tools/Closely.Benchmark, which seeds three sample stores of its own, runs
# the six services as processes on them, sends a burst and then a sustained rate of erasure requests through the
# intake API, the emailed link and the status URL, measures the baselines on the same servers and prints the figures.
#
#   ./bench.sh [--people N] [--burst N] [--rate R --duration S] [--baseline-messages N] [--baseline-seconds S] [--instances S=N,...]
#   ./bench.sh --curve [--sizes N,N,...] [--curve-10m] [--subjects N]
#
# Defaults: 1 000 000 people per store, a burst of 400, 50 requests/s for 60 s, 20 000 baseline messages, 10 s of
# commits, one process per service (--instances Cases=2: two Cases processes competing for its queues). --curve
# draws the locate/erase cost curve instead (ADR 43): stores of 100 000 and 1 000 000 people (--curve-10m adds
# 10 000 000), 7 subjects each. The servers are stopped when it ends.
set -euo pipefail

cd "$(dirname "$0")"
# shellcheck source=scripts/servers.sh
source scripts/servers.sh

BENCHMARK_DLL=tools/Closely.Benchmark/bin/Release/net10.0/Closely.Benchmark.dll
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

main() {
  prepare_machine
  start_servers
  log "building Closely.Platform.sln (Release)"
  dotnet build Closely.Platform.sln -c Release --disable-build-servers --nologo -v quiet || die "build failed"
  log "benchmark: $*"
  dotnet "$BENCHMARK_DLL" "$@"
}

main "$@"
