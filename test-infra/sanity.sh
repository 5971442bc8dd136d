#!/usr/bin/env bash
# ansible-test sanity on a collection copy, with the venv's Python (no containers here).
. "$(dirname "$0")/lib.sh"
banner "ansible-test sanity"
root="$(collection_copy)"
# Dependencies are found beside the collection, as ansible-test expects them.
site="$(python -c 'import ansible_collections, os; print(os.path.dirname(ansible_collections.__file__))' 2>/dev/null \
  || echo "$VENV/lib/python3.11/site-packages/ansible_collections")"
mkdir -p "$root/../../kubernetes"
rm -rf "$root/../../kubernetes/core"
cp -r "$site/kubernetes/core" "$root/../../kubernetes/core"
# ansible-test bootstraps pip in its virtualenvs from a host these machines cannot reach;
# the stand-in uses the interpreter's bundled pip, then PyPI.
cache="$HOME/.ansible/test/cache"
mkdir -p "$cache"
[[ -f "$cache/get_pip_24_2.py" ]] || cp "$REPO/test-infra/python/get-pip-standin.py" "$cache/get_pip_24_2.py"
# ansible-test runs shellcheck on the pod scripts when it is installed.
need_shellcheck
cd "$root"
git init -q . && git add -A >/dev/null
ansible-test sanity --python "$(python -c 'import sys; print("%d.%d" % sys.version_info[:2])')" --color no "$@"
