#!/usr/bin/env bash
# Runs Molecule scenarios against the local kind cluster, one after another, each once per
# flavor and version that molecule/matrix.txt gives it, and prints a result line per run.
#
#   test-infra/molecule.sh                      every scenario of the matrix
#   test-infra/molecule.sh default scale        those scenarios, on each of their flavors
#   test-infra/molecule.sh default:mysql-9.7    one scenario on one flavor-version
. "$(dirname "$0")/lib.sh"
use_local_cluster
cd "$REPO"
export MOLECULE_GLOB="molecule/*/molecule.yml"
export ANSIBLE_COLLECTIONS_PATH="$REPO/collections"

# matrix_runs [SCENARIO[:FLAVOR-VERSION]...]: "scenario flavor-version" lines.
matrix_runs() {
  local want
  if (($# == 0)); then
    grep -Ev '^\s*(#|$)' molecule/matrix.txt | awk '{for (i = 2; i <= NF; i++) print $1, $i}'
    return
  fi
  for want in "$@"; do
    local scenario="${want%%:*}" only=""
    [[ $want == *:* ]] && only="${want#*:}"
    grep -Eq "^$scenario\s" molecule/matrix.txt || { echo "no scenario '$scenario' in molecule/matrix.txt" >&2; return 1; }
    grep -E "^$scenario\s" molecule/matrix.txt | awk -v only="$only" \
      '{for (i = 2; i <= NF; i++) if (only == "" || $i == only) print $1, $i}'
  done
}

# The locally built image of a flavor-version (empty for those only dry-run here).
test_image() { local var="${1//[.-]/_}_IMAGE"; var="${var^^}"; printf '%s' "${!var:-}"; }

mapfile -t runs < <(matrix_runs "$@")
((${#runs[@]} > 0)) || { echo "nothing to run for: $*" >&2; exit 2; }
failed=()
mkdir -p "$TEST_LOGS"
: > "$STATEFUL_MYSQL_CACHE/molecule-results.log"
for run in "${runs[@]}"; do
  read -r s fv <<<"$run"
  label="$s [$fv]"; log_name="molecule-$s-$fv"
  if [[ $fv == - ]]; then label="$s"; log_name="molecule-$s"; fv="mysql-9.7"; fi
  export STATEFUL_MYSQL_TEST_FLAVOR="${fv%%-*}" STATEFUL_MYSQL_TEST_VERSION="${fv#*-}"
  STATEFUL_MYSQL_TEST_IMAGE="$(test_image "$fv")"; export STATEFUL_MYSQL_TEST_IMAGE
  banner "molecule scenario $label"
  t0=$SECONDS
  # A hung scenario must not eat CI's whole time budget: each gets at most 15 minutes.
  if retry_if_cluster_broke "molecule scenario $label" \
    timeout --kill-after=30 900 molecule --base-config molecule/config.yml test -s "$s" \
    > >(tee "$TEST_LOGS/$log_name.log") 2>&1; then r=passed
  else r=FAILED; failed+=("$label|$log_name"); cluster_snapshot > "$TEST_LOGS/$log_name.cluster" 2>&1; fi
  printf 'molecule scenario %-32s %s in %ss\n' "$label" "$r" "$((SECONDS - t0))" | tee -a "$STATEFUL_MYSQL_CACHE/molecule-results.log"
done
((${#failed[@]} == 0)) && exit 0
# Each failed run's failures again, last, where a truncated log still shows them.
for f in "${failed[@]}"; do
  label="${f%%|*}"; log_name="${f#*|}"
  banner "why molecule scenario $label failed (full log: $TEST_LOGS/$log_name.log)"
  grep -E -A 30 'fatal: \[|failed: \[|FAILED! =>|^E  |^FAILED |Timeout|timed out' "$TEST_LOGS/$log_name.log" | head -n 120
  cat "$TEST_LOGS/$log_name.cluster"
done
printf 'failed scenarios:'; printf ' %s;' "${failed[@]%%|*}"; echo
exit 1
