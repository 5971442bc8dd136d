#!/usr/bin/env bash
# Unit tests of the collection's pure logic (module_utils, filters), run from a collection copy.
. "$(dirname "$0")/lib.sh"
banner "unit tests"
root="$(collection_copy)"
cd "$root"
python -m pytest -q tests/unit "$@"
