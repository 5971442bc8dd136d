#!/usr/bin/env bash
# `make test`: every test, in one run, on this machine. Installs and starts what it needs
# (Docker, the offline kind cluster). Runs every stage, then fails if any stage failed.
. "$(dirname "$0")/lib.sh"
here="$REPO/test-infra"
results=()
failed=0
stage() {
  local name="$1" t0=$SECONDS; shift
  if "$@"; then results+=("passed  $name ($((SECONDS - t0))s)")
  else results+=("FAILED  $name ($((SECONDS - t0))s)"); failed=1; fi
}
stage "ansible-lint" "$here/lint.sh"
stage "ansible-test sanity" "$here/sanity.sh"
stage "unit tests" "$here/unit.sh"
stage "argument specs match defaults" "$here/check-argument-specs.py"
stage "offline kind cluster" use_local_cluster
stage "galaxy build, install and deploy" "$here/build-collection.sh"
stage "molecule scenarios" "$here/molecule.sh"
banner "summary"
printf '%s\n' "${results[@]}"
[[ -f "$STATEFUL_MYSQL_CACHE/molecule-results.log" ]] && tail -n 20 "$STATEFUL_MYSQL_CACHE/molecule-results.log"
exit "$failed"
