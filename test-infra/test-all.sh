#!/usr/bin/env bash
# `make test`: every test, in one run, on this machine. Installs and starts what it needs
# (Docker, the offline kind cluster). Runs every stage, then fails if any stage failed.
. "$(dirname "$0")/lib.sh"
here="$REPO/test-infra"
rm -rf "$TEST_LOGS" "$STATEFUL_MYSQL_CACHE/molecule-results.log"; mkdir -p "$TEST_LOGS"
results=()
failed_logs=()
# Each stage's output goes to the console and to its own log; a failed stage's end and the
# cluster's state right after it are repeated last, where a truncated CI log still shows them.
stage() {
  local name="$1" t0=$SECONDS log; shift
  log="$TEST_LOGS/$(printf '%02d' $((${#results[@]} + 1)))-${name//[^a-zA-Z0-9]/-}.log"
  if "$@" > >(tee "$log") 2>&1; then
    results+=("passed  $name ($((SECONDS - t0))s)")
  else
    results+=("FAILED  $name ($((SECONDS - t0))s)")
    failed_logs+=("$log")
    cluster_snapshot > "$log.cluster" 2>&1 || true
  fi
}
leftovers_deleted() { # WORKERS: that cluster shape, without what a killed earlier run left
  local kc
  kc="$("$here/kind/cluster.sh" env --workers "$1" | sed -n 's/^KUBECONFIG=//p')" || return 1
  delete_leftover_namespaces "$kc"
}
stage "ansible-lint" "$here/lint.sh"
stage "ansible-test sanity" "$here/sanity.sh"
stage "unit tests" "$here/unit.sh"
stage "argument specs match defaults" "$here/check-argument-specs.py"
stage "offline kind cluster" use_local_cluster
stage "namespaces left by earlier runs" leftovers_deleted 0
stage "galaxy build, install and deploy" retry_if_cluster_broke "galaxy deploy" "$here/build-collection.sh"
# Where the scenarios marked workers=2 in molecule/matrix.txt run (molecule.sh stops it after).
stage "offline kind cluster, three nodes" "$here/kind/cluster.sh" up --workers 2
stage "namespaces left by earlier runs, three nodes" leftovers_deleted 2
stage "molecule scenarios" "$here/molecule.sh"
for log in "${failed_logs[@]}"; do
  banner "end of $(basename "$log" .log) (full log: $log)"
  tail -n 80 "$log"
  cat "$log.cluster"
done
banner "summary"
printf '%s\n' "${results[@]}"
[[ -f "$TEST_LOGS/retries.log" ]] && sed 's/^/retried: /' "$TEST_LOGS/retries.log"
[[ -f "$STATEFUL_MYSQL_CACHE/molecule-results.log" ]] && cat "$STATEFUL_MYSQL_CACHE/molecule-results.log"
echo "full logs: $TEST_LOGS"
((${#failed_logs[@]} == 0))
