#!/usr/bin/env bash
# Prints the path of a virtualenv holding test-infra/python/requirements.txt, creating it
# under the build cache (keyed by the pins' hash) when it does not exist yet.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${STATEFUL_MYSQL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stateful-mysql-test-infra}"
key="$(cat "$here/requirements.txt" "$here/constraints.txt" | sha256sum | cut -c1-12)"
venv="$cache/venv/$key"
if [[ ! -x "$venv/bin/ansible-playbook" || ! -f "$venv/.complete" ]]; then
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q --disable-pip-version-check \
    -r "$here/requirements.txt" -c "$here/constraints.txt" >&2
  touch "$venv/.complete"
fi
printf '%s\n' "$venv"
