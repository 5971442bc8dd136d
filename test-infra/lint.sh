#!/usr/bin/env bash
# Static checks of everything in the repository: ansible-lint (production profile) over roles,
# playbooks, scenarios and test playbooks; shellcheck over every shell script; flake8 over the
# Python that ansible-test sanity does not cover (tests, scenarios, test infrastructure).
. "$(dirname "$0")/lib.sh"
cd "$REPO"
failed=0
banner "ansible-lint"
ansible-lint --profile production "$@" || failed=1
banner "shellcheck"
need_shellcheck
mapfile -t scripts < <(git ls-files -co --exclude-standard '*.sh')
shellcheck -x -P SCRIPTDIR -S warning "${scripts[@]}" && echo "shellcheck: ${#scripts[@]} scripts clean" || failed=1
banner "flake8"
flake8 --max-line-length 160 test-infra molecule tests && echo "flake8: clean" || failed=1
exit "$failed"
