#!/usr/bin/env bash
# Unit tests of pure logic: the collection's (module_utils, filters, tests), run from a
# collection copy, then the test infrastructure's own (the benchmark report).
. "$(dirname "$0")/lib.sh"
banner "unit tests"
root="$(collection_copy)"
(cd "$root" && python -m pytest -q tests/unit "$@")
banner "test infrastructure unit tests"
cd "$REPO"
python -m pytest -q -p no:cacheprovider test-infra/bench/tests
