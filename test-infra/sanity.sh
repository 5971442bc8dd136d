#!/usr/bin/env bash
# ansible-test sanity on a collection copy, with the venv's Python (no containers here).
. "$(dirname "$0")/lib.sh"
banner "ansible-test sanity"
root="$(collection_copy)"
cd "$root"
git init -q . && git add -A >/dev/null
ansible-test sanity --python "$(python -c 'import sys; print("%d.%d" % sys.version_info[:2])')" \
  --color no "$@"
