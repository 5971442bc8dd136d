#!/usr/bin/env bash
# `make bench`: runs the benchmarks on the local kind cluster (created when needed) and
# writes docs/benchmarks.md from what it measured. Not a test: nothing here asserts a time.
#
#   test-infra/bench/run.sh [--quick] [--runs N] [--only ttr|scale|wait|clone|commit|backup]... [--flavor FLAVOR-VERSION]...
#   test-infra/bench/run.sh --report RESULTS.json     rewrite the document from a results file
#
# --quick: one run of each and small data sets (64 MB for the clone, 32 MB for the backup), to
# try the harness. Default (full): 3 runs of each, a 1 GB data set for the clone, 256 MB for
# the backup. --flavor (mysql-9.7, mariadb-10.11, mariadb-11.8; repeatable) runs every chosen
# benchmark on those servers; without it, everything runs on MySQL 9.7 and the clone, the
# commit and the backup also on MariaDB 10.11. Namespaces
# are bench-*, and deleted at the end. Work files (logs, timelines, results.json, the
# rendered baseline objects) go to $STATEFUL_MYSQL_CACHE/bench/<UTC time>/ (BENCH_WORKDIR
# overrides). BENCH_OUTPUT overrides the document's path (default docs/benchmarks.md);
# BENCH_STORAGE_CLASS the StorageClass of every deployment (default standard, named rather
# than left to the cluster default, which a concurrent rook_storageclass scenario changes).
# Order: a start-up profile of the module imports, then time to ready + re-run, wait
# latency, scale-out, clone throughput, commit latency, backup and restore, each on its
# servers. See test-infra/bench/README.md.
# shellcheck source=SCRIPTDIR/../lib.sh
. "$(dirname "$0")/../lib.sh"
BENCH="$REPO/test-infra/bench"
OUTPUT="${BENCH_OUTPUT:-$REPO/docs/benchmarks.md}"

if [[ "${1:-}" == --report ]]; then
  [[ -f "${2:-}" ]] || { echo "usage: $0 --report RESULTS.json" >&2; exit 2; }
  exec "$VENV/bin/python" "$BENCH/report.py" "$2" "$OUTPUT"
fi

# One benchmark at a time on this machine: they would measure each other.
mkdir -p "$STATEFUL_MYSQL_CACHE/bench"
exec 9>"$STATEFUL_MYSQL_CACHE/bench/.lock"
flock -n 9 || { echo "another benchmark is running (lock $STATEFUL_MYSQL_CACHE/bench/.lock)" >&2; exit 1; }

banner "local cluster"
# Exports KUBECONFIG, KUBECTL and the servers' locally built images (MYSQL_9_7_IMAGE,
# MARIADB_10_11_IMAGE, ...), which bench.py picks by --flavor.
use_local_cluster
export PATH="$STATEFUL_MYSQL_CACHE/bin:$PATH"  # kind, for its version

WORKDIR="${BENCH_WORKDIR:-$STATEFUL_MYSQL_CACHE/bench/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$WORKDIR"
banner "benchmarks (work files: $WORKDIR)"
cd "$REPO" || exit 1
exec "$VENV/bin/python" "$BENCH/bench.py" --workdir "$WORKDIR" --output "$OUTPUT" "$@"
