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
: > "$STATEFUL_MYSQL_CACHE/molecule-results.log"
for s in "${scenarios[@]}"; do
  banner "molecule scenario $s"
  t0=$SECONDS
  # A hung scenario must not eat CI's whole time budget: each gets at most 15 minutes.
  if timeout --kill-after=30 900 molecule --base-config molecule/config.yml test -s "$s"; then r=passed
  else r=FAILED; failed+=("$s"); fi
  printf 'molecule scenario %-18s %s in %ss\n' "$s" "$r" "$((SECONDS - t0))" | tee -a "$STATEFUL_MYSQL_CACHE/molecule-results.log"
done
((${#failed[@]} == 0)) || { echo "failed scenarios: ${failed[*]}"; exit 1; }
