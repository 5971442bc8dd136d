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
# A scenario marked "workers=N" runs on the cluster of that shape (cluster.sh up --workers N,
# brought up here when a selected run needs it), beside the runs on the single node; once the
# last run on a shape has ended, that cluster's nodes are stopped, to give the others the CPU.
. "$(dirname "$0")/lib.sh"
use_local_cluster
cd "$REPO"
export MOLECULE_GLOB="molecule/*/molecule.yml"
export ANSIBLE_COLLECTIONS_PATH="$REPO/collections"
JOBS="${MOLECULE_JOBS:-3}"
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || { echo "MOLECULE_JOBS must be a number of at least 1, got '$JOBS'" >&2; exit 2; }
RESULTS="${STATEFUL_MYSQL_RESULTS:-$STATEFUL_MYSQL_CACHE/molecule-results.log}"

# matrix_runs [SCENARIO[:FLAVOR-VERSION]...]: "scenario flavor-version alone|shared workers" lines.
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
      mode = "shared"; workers = 0
      for (i = 2; i <= NF; i++) if ($i == "alone") mode = "alone"; else if ($i ~ /^workers=[0-9]+$/) workers = substr($i, 9)
      for (i = 2; i <= NF; i++) if ($i != "alone" && $i !~ /^workers=/ && (only == "" || $i == only)) print $1, $i, mode, workers }'
  done
}

# The locally built image of a flavor-version (empty for those only dry-run here).
test_image() { local var="${1//[.-]/_}_IMAGE"; var="${var^^}"; printf '%s' "${!var:-}"; }
label_of() { # SCENARIO FLAVOR-VERSION [WORKERS]
  [[ $2 == - ]] && printf '%s' "$1" || printf '%s [%s]' "$1" "$2"
  ((${3:-0} == 0)) || printf ' on %s nodes' "$(($3 + 1))"
}
log_of() { [[ $2 == - ]] && printf 'molecule-%s' "$1" || printf 'molecule-%s-%s' "$1" "$2"; }

# The kubeconfig of each cluster shape a run needs (workers -> path); 0 is the single node.
declare -A kubeconfig_of=([0]="$KUBECONFIG")
# shape_up WORKERS: that shape's cluster, created, started or repaired as needed.
shape_up() {
  ((${1} == 0)) && { use_local_cluster; kubeconfig_of[0]="$KUBECONFIG"; return; }
  "$REPO/test-infra/kind/cluster.sh" up --workers "$1" || return 1
  kubeconfig_of[$1]="$("$REPO/test-infra/kind/cluster.sh" env --workers "$1" | sed -n 's/^KUBECONFIG=//p')"
}
shape_health() { if (($1 == 0)); then "$REPO/test-infra/kind/cluster.sh" health; else "$REPO/test-infra/kind/cluster.sh" health --workers "$1"; fi; }

# run_one SCENARIO FLAVOR-VERSION [WORKERS]: one Molecule run; its outcome goes to <log>.result.
run_one() {
  local s="$1" fv="$2" workers="${3:-0}" name t0=$SECONDS rc=0
  name="$(log_of "$s" "$fv")"
  [[ $fv == - ]] && fv="mysql-9.7"
  local KUBECONFIG="${kubeconfig_of[$workers]}" K8S_AUTH_KUBECONFIG="${kubeconfig_of[$workers]}"
  export KUBECONFIG K8S_AUTH_KUBECONFIG
  if [[ -z $KUBECONFIG ]]; then
    echo "no cluster with $workers worker(s): see cluster.sh up --workers $workers above" > "$TEST_LOGS/$name.log"
    printf '1 0\n' > "$TEST_LOGS/$name.result"
    return
  fi
  (
    export STATEFUL_MYSQL_TEST_FLAVOR="${fv%%-*}" STATEFUL_MYSQL_TEST_VERSION="${fv#*-}"
    STATEFUL_MYSQL_TEST_IMAGE="$(test_image "$fv")"; export STATEFUL_MYSQL_TEST_IMAGE
    # A hung scenario must not eat CI's whole time budget: each gets at most 20 minutes
    # (MOLECULE_RUN_TIMEOUT seconds on a machine shared with other work).
    timeout --kill-after=30 "${MOLECULE_RUN_TIMEOUT:-1200}" molecule --base-config molecule/config.yml test -s "$s"
  ) > "$TEST_LOGS/$name.log" 2>&1 || rc=$?
  if ((rc != 0)); then cluster_snapshot > "$TEST_LOGS/$name.cluster" 2>&1 || true; fi
  printf '%s %s\n' "$rc" "$((SECONDS - t0))" > "$TEST_LOGS/$name.result"
}

report() { # SCENARIO FLAVOR-VERSION WORKERS [SUFFIX]
  local name rc secs; name="$(log_of "$1" "$2")"
  read -r rc secs < "$TEST_LOGS/$name.result"
  printf 'molecule scenario %-32s %s in %ss%s\n' "$(label_of "$1" "$2" "$3")" \
    "$( ((rc == 0)) && echo passed || echo FAILED)" "$secs" "${4:-}" | tee -a "$RESULTS"
}

mapfile -t runs < <(matrix_runs "$@")
((${#runs[@]} > 0)) || { echo "nothing to run for: $*" >&2; exit 2; }
mkdir -p "$TEST_LOGS"
: > "$RESULTS"
t_start=$SECONDS

# Every other shape the selected runs need, up before any run starts; how many runs each
# shape has left, so its cluster stops when they are done.
declare -A left_on=()
for run in "${runs[@]}"; do
  read -r _s _fv _mode workers <<<"$run"
  left_on[$workers]=$((${left_on[$workers]:-0} + 1))
done
for workers in "${!left_on[@]}"; do
  ((workers == 0)) && continue
  banner "the cluster with $workers worker(s) for ${left_on[$workers]} run(s)"
  # Its runs fail (run_one finds no kubeconfig); the others still run.
  shape_up "$workers" || echo "the cluster with $workers worker(s) did not come up" >&2
done

start() { # SCENARIO FLAVOR-VERSION WORKERS
  banner "molecule scenario $(label_of "$1" "$2" "$3") (log: $TEST_LOGS/$(log_of "$1" "$2").log)"
  run_one "$1" "$2" "$3" &
  running[$!]="$1 $2 $3"
}

# ended SCENARIO FLAVOR-VERSION WORKERS: a run on that shape has ended; after the last one the
# shape's nodes stop, unless a run failed there (the cluster's health then decides a retry).
declare -A failed_on=()
ended() {
  local rc; read -r rc _ < "$TEST_LOGS/$(log_of "$1" "$2").result"
  ((rc == 0)) || failed_on[$3]=1
  left_on[$3]=$((left_on[$3] - 1))
  ((left_on[$3] == 0 && $3 > 0)) && [[ ! -v failed_on[$3] ]] || return 0
  "$REPO/test-infra/kind/cluster.sh" stop --workers "$3" || true
}

# reap: waits for a run to end and reports every run that has ended.
reap() {
  local pid s fv workers
  wait -n "${!running[@]}" 2>/dev/null || true
  for pid in "${!running[@]}"; do
    kill -0 "$pid" 2>/dev/null && continue
    wait "$pid" 2>/dev/null || true
    read -r s fv workers <<<"${running[$pid]}"
    report "$s" "$fv" "$workers"
    unset "running[$pid]"
    ended "$s" "$fv" "$workers"
  done
}

busy_with() { local pid; for pid in "${!running[@]}"; do [[ ${running[$pid]%% *} == "$1" ]] && return 0; done; return 1; }

# The runs marked alone first, one at a time; then the others, JOBS at once, those on other
# shapes first (the sooner they end, the sooner their cluster stops using CPU).
declare -A running=()
shared=() later=()
for run in "${runs[@]}"; do
  read -r s fv mode workers <<<"$run"
  if [[ $mode == alone ]]; then start "$s" "$fv" "$workers"; reap
  elif ((workers > 0)); then shared+=("$s $fv $workers")
  else later+=("$s $fv $workers"); fi
done
shared+=("${later[@]}")
while ((${#shared[@]} > 0 || ${#running[@]} > 0)); do
  for index in "${!shared[@]}"; do
    ((${#running[@]} < JOBS)) || break
    read -r s fv workers <<<"${shared[$index]}"
    busy_with "$s" && continue
    start "$s" "$fv" "$workers"
    unset "shared[$index]"
  done
  shared=("${shared[@]}")
  reap
done

failed=()
for run in "${runs[@]}"; do
  read -r s fv _mode workers <<<"$run"
  read -r rc _secs < "$TEST_LOGS/$(log_of "$s" "$fv").result"
  ((rc == 0)) || failed+=("$s $fv $workers")
done

# A run that failed while its cluster itself was broken says nothing about the collection:
# with that cluster recreated, those runs go once more, one at a time.
declare -A problem_of=()
for run in "${failed[@]}"; do
  read -r _s _fv workers <<<"$run"
  [[ -v problem_of[$workers] ]] && continue
  problem_of[$workers]="$(shape_health "$workers")" || true
done
again=() kept=()
for run in "${failed[@]}"; do
  read -r _s _fv workers <<<"$run"
  if [[ -n ${problem_of[$workers]} ]]; then again+=("$run"); else kept+=("$run"); fi
done
if ((${#again[@]} > 0)); then
  failed=("${kept[@]}")
  for workers in "${!problem_of[@]}"; do
    [[ -n ${problem_of[$workers]} ]] || continue
    echo "molecule runs ${again[*]} failed while the cluster with $workers worker(s) was unhealthy (${problem_of[$workers]}); recreated it and ran them again" \
      | tee -a "$TEST_LOGS/retries.log"
    shape_up "$workers" || kubeconfig_of[$workers]=""
  done
  for run in "${again[@]}"; do
    read -r s fv workers <<<"$run"
    run_one "$s" "$fv" "$workers"
    report "$s" "$fv" "$workers" " (retried)"
    read -r rc _secs < "$TEST_LOGS/$(log_of "$s" "$fv").result"
    ((rc == 0)) || failed+=("$run")
  done
fi
for workers in "${!failed_on[@]}"; do
  ((workers == 0)) || "$REPO/test-infra/kind/cluster.sh" stop --workers "$workers" || true
done
printf 'molecule: %d runs in %ss, %d at once\n' "${#runs[@]}" "$((SECONDS - t_start))" "$JOBS" | tee -a "$RESULTS"
((${#failed[@]} == 0)) && exit 0
# Each failed run's failures again, last, where a truncated log still shows them.
for run in "${failed[@]}"; do
  read -r s fv workers <<<"$run"
  name="$(log_of "$s" "$fv")"
  banner "why molecule scenario $(label_of "$s" "$fv" "$workers") failed (full log: $TEST_LOGS/$name.log)"
  grep -E -A 30 'fatal: \[|failed: \[|FAILED! =>|^E  |^FAILED |Timeout|timed out' "$TEST_LOGS/$name.log" | head -n 120
  [[ -f $TEST_LOGS/$name.cluster ]] && cat "$TEST_LOGS/$name.cluster"
done
printf 'failed scenarios:'; for run in "${failed[@]}"; do read -r s fv workers <<<"$run"; printf ' %s;' "$(label_of "$s" "$fv" "$workers")"; done; echo
exit 1
