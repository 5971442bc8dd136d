#!/usr/bin/env bash
# Runs Molecule scenarios against the local kind cluster, each once per flavor and version
# molecule/matrix.txt gives it, and prints a result line per run.
#
#   test-infra/molecule.sh                      every scenario of the matrix
#   test-infra/molecule.sh default scale        those scenarios, on each of their flavors
#   test-infra/molecule.sh default:mysql-9.7    one scenario on one flavor-version
#
# MOLECULE_JOBS (default 3) runs go at once: a scenario mostly waits for pods, probes and
# the API, so the two cores sit idle most of the time. Each run has its own namespace; two
# runs of one scenario (it has one namespace and one Molecule work directory) never overlap,
# and a scenario marked "alone" in the matrix (it changes what every other run would see,
# such as the cluster's default StorageClass) runs with nothing beside it.
. "$(dirname "$0")/lib.sh"
use_local_cluster
cd "$REPO"
export MOLECULE_GLOB="molecule/*/molecule.yml"
export ANSIBLE_COLLECTIONS_PATH="$REPO/collections"
JOBS="${MOLECULE_JOBS:-3}"
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || { echo "MOLECULE_JOBS must be a number of at least 1, got '$JOBS'" >&2; exit 2; }
RESULTS="$STATEFUL_MYSQL_CACHE/molecule-results.log"

# matrix_runs [SCENARIO[:FLAVOR-VERSION]...]: "scenario flavor-version alone|shared" lines.
matrix_runs() {
  local want scenario only
  local rows; rows="$(grep -Ev '^\s*(#|$)' molecule/matrix.txt)"
  if (($# == 0)); then
    local names; mapfile -t names < <(awk '{print $1}' <<<"$rows")
    set -- "${names[@]}"
  fi
  for want in "$@"; do
    scenario="${want%%:*}" only=""
    [[ $want == *:* ]] && only="${want#*:}"
    grep -Eq "^$scenario\s" <<<"$rows" || { echo "no scenario '$scenario' in molecule/matrix.txt" >&2; return 1; }
    grep -E "^$scenario\s" <<<"$rows" | awk -v only="$only" '{
      mode = "shared"; for (i = 2; i <= NF; i++) if ($i == "alone") mode = "alone"
      for (i = 2; i <= NF; i++) if ($i != "alone" && (only == "" || $i == only)) print $1, $i, mode }'
  done
}

# The locally built image of a flavor-version (empty for those only dry-run here).
test_image() { local var="${1//[.-]/_}_IMAGE"; var="${var^^}"; printf '%s' "${!var:-}"; }
label_of() { [[ $2 == - ]] && printf '%s' "$1" || printf '%s [%s]' "$1" "$2"; }
log_of() { [[ $2 == - ]] && printf 'molecule-%s' "$1" || printf 'molecule-%s-%s' "$1" "$2"; }

# run_one SCENARIO FLAVOR-VERSION: one Molecule run; its outcome goes to <log>.result.
run_one() {
  local s="$1" fv="$2" name t0=$SECONDS rc=0
  name="$(log_of "$s" "$fv")"
  [[ $fv == - ]] && fv="mysql-9.7"
  (
    export STATEFUL_MYSQL_TEST_FLAVOR="${fv%%-*}" STATEFUL_MYSQL_TEST_VERSION="${fv#*-}"
    STATEFUL_MYSQL_TEST_IMAGE="$(test_image "$fv")"; export STATEFUL_MYSQL_TEST_IMAGE
    # A hung scenario must not eat CI's whole time budget: each gets at most 15 minutes.
    timeout --kill-after=30 900 molecule --base-config molecule/config.yml test -s "$s"
  ) > "$TEST_LOGS/$name.log" 2>&1 || rc=$?
  if ((rc != 0)); then cluster_snapshot > "$TEST_LOGS/$name.cluster" 2>&1 || true; fi
  printf '%s %s\n' "$rc" "$((SECONDS - t0))" > "$TEST_LOGS/$name.result"
}

report() { # SCENARIO FLAVOR-VERSION [SUFFIX]
  local name rc secs; name="$(log_of "$1" "$2")"
  read -r rc secs < "$TEST_LOGS/$name.result"
  printf 'molecule scenario %-32s %s in %ss%s\n' "$(label_of "$1" "$2")" \
    "$( ((rc == 0)) && echo passed || echo FAILED)" "$secs" "${3:-}" | tee -a "$RESULTS"
}

mapfile -t runs < <(matrix_runs "$@")
((${#runs[@]} > 0)) || { echo "nothing to run for: $*" >&2; exit 2; }
mkdir -p "$TEST_LOGS"
: > "$RESULTS"
t_start=$SECONDS

start() { # SCENARIO FLAVOR-VERSION
  banner "molecule scenario $(label_of "$1" "$2") (log: $TEST_LOGS/$(log_of "$1" "$2").log)"
  run_one "$1" "$2" &
  running[$!]="$1 $2"
}

# reap: waits for a run to end and reports every run that has ended.
reap() {
  local pid s fv
  wait -n "${!running[@]}" 2>/dev/null || true
  for pid in "${!running[@]}"; do
    kill -0 "$pid" 2>/dev/null && continue
    wait "$pid" 2>/dev/null || true
    read -r s fv <<<"${running[$pid]}"
    report "$s" "$fv"
    unset "running[$pid]"
  done
}

busy_with() { local pid; for pid in "${!running[@]}"; do [[ ${running[$pid]%% *} == "$1" ]] && return 0; done; return 1; }

# The runs marked alone first, one at a time; then the others, JOBS at once.
declare -A running=()
shared=()
for run in "${runs[@]}"; do
  read -r s fv mode <<<"$run"
  if [[ $mode == alone ]]; then start "$s" "$fv"; reap; else shared+=("$s $fv"); fi
done
while ((${#shared[@]} > 0 || ${#running[@]} > 0)); do
  for index in "${!shared[@]}"; do
    ((${#running[@]} < JOBS)) || break
    read -r s fv <<<"${shared[$index]}"
    busy_with "$s" && continue
    start "$s" "$fv"
    unset "shared[$index]"
  done
  shared=("${shared[@]}")
  reap
done

failed=()
for run in "${runs[@]}"; do
  read -r s fv _mode <<<"$run"
  read -r rc _secs < "$TEST_LOGS/$(log_of "$s" "$fv").result"
  ((rc == 0)) || failed+=("$s $fv")
done

# A run that failed while the cluster itself was broken says nothing about the collection:
# with a new cluster, those runs go once more, one at a time.
problem=""
if ((${#failed[@]} > 0)); then problem="$("$REPO/test-infra/kind/cluster.sh" health)" || true; fi
if [[ -n $problem ]]; then
  echo "molecule runs ${failed[*]} failed while the cluster was unhealthy ($problem); recreated the cluster and ran them again" \
    | tee -a "$TEST_LOGS/retries.log"
  use_local_cluster
  again=("${failed[@]}"); failed=()
  for run in "${again[@]}"; do
    read -r s fv <<<"$run"
    run_one "$s" "$fv"
    report "$s" "$fv" " (retried)"
    read -r rc _secs < "$TEST_LOGS/$(log_of "$s" "$fv").result"
    ((rc == 0)) || failed+=("$run")
  done
fi
printf 'molecule: %d runs in %ss, %d at once\n' "${#runs[@]}" "$((SECONDS - t_start))" "$JOBS" | tee -a "$RESULTS"
((${#failed[@]} == 0)) && exit 0
# Each failed run's failures again, last, where a truncated log still shows them.
for run in "${failed[@]}"; do
  read -r s fv <<<"$run"
  name="$(log_of "$s" "$fv")"
  banner "why molecule scenario $(label_of "$s" "$fv") failed (full log: $TEST_LOGS/$name.log)"
  grep -E -A 30 'fatal: \[|failed: \[|FAILED! =>|^E  |^FAILED |Timeout|timed out' "$TEST_LOGS/$name.log" | head -n 120
  [[ -f $TEST_LOGS/$name.cluster ]] && cat "$TEST_LOGS/$name.cluster"
done
printf 'failed scenarios:'; for run in "${failed[@]}"; do read -r s fv <<<"$run"; printf ' %s;' "$(label_of "$s" "$fv")"; done; echo
exit 1
