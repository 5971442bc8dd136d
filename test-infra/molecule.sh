#!/usr/bin/env bash
# Runs Molecule scenarios (all, or those named) against the local kind cluster, one after
# another, and prints a result line per scenario.
. "$(dirname "$0")/lib.sh"
use_local_cluster
cd "$REPO"
export MOLECULE_GLOB="molecule/*/molecule.yml"
export ANSIBLE_COLLECTIONS_PATH="$REPO/collections"
export STATEFUL_MYSQL_TEST_IMAGE="$MARIADB_IMAGE"
scenarios=("$@")
if ((${#scenarios[@]} == 0)); then
  mapfile -t scenarios < <(ls molecule/*/molecule.yml | xargs -n1 dirname | xargs -n1 basename | sort)
fi
failed=()
mkdir -p "$TEST_LOGS"
: > "$STATEFUL_MYSQL_CACHE/molecule-results.log"
for s in "${scenarios[@]}"; do
  banner "molecule scenario $s"
  t0=$SECONDS
  # A hung scenario must not eat CI's whole time budget: each gets at most 15 minutes.
  if retry_if_cluster_broke "molecule scenario $s" \
    timeout --kill-after=30 900 molecule --base-config molecule/config.yml test -s "$s" \
    > >(tee "$TEST_LOGS/molecule-$s.log") 2>&1; then r=passed
  else r=FAILED; failed+=("$s"); cluster_snapshot > "$TEST_LOGS/molecule-$s.cluster" 2>&1; fi
  printf 'molecule scenario %-18s %s in %ss\n' "$s" "$r" "$((SECONDS - t0))" | tee -a "$STATEFUL_MYSQL_CACHE/molecule-results.log"
done
((${#failed[@]} == 0)) && exit 0
# Each failed scenario's failures again, last, where a truncated log still shows them.
for s in "${failed[@]}"; do
  banner "why molecule scenario $s failed (full log: $TEST_LOGS/molecule-$s.log)"
  grep -E -A 30 'fatal: \[|failed: \[|FAILED! =>|^E  |^FAILED |Timeout|timed out' "$TEST_LOGS/molecule-$s.log" | head -n 120
  cat "$TEST_LOGS/molecule-$s.cluster"
done
echo "failed scenarios: ${failed[*]}"
exit 1
