#!/usr/bin/env bash
# ansible-lint (production profile) over the roles and playbooks.
. "$(dirname "$0")/lib.sh"
banner "ansible-lint"
cd "$REPO"
ansible-lint --profile production "$@"
