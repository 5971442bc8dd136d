# shellcheck shell=bash
# Stands in for the client tools (CLIENT_BIN, ADMIN_BIN) in lib.sh's tests. Each call is
# recorded as $FAKE_DIR/calls/<n>.args (NUL-separated) and <n>.stdin; it prints
# $FAKE_DIR/answers/<option file name> (else answers/default) and exits with the number in
# $FAKE_DIR/status/<option file name> (else 0). The tests install it with a shebang.
set -euo pipefail
mkdir -p "$FAKE_DIR/calls"
n="$(find "$FAKE_DIR/calls" -name '*.args' | wc -l)"
call="$FAKE_DIR/calls/$(printf '%04d' "$n")"
printf '%s\0' "$@" > "$call.args"
cnf=default batch=0 in_argv=0
for arg in "$@"; do
  case $arg in
    --defaults-extra-file=*) cnf="$(basename "${arg#*=}")" ;;
    -B) batch=1 ;;
    -e) in_argv=1 ;;
  esac
done
# The client reads statements from stdin in batch mode without -e; the admin tool never does.
if ((batch && !in_argv)); then cat > "$call.stdin"; else : > "$call.stdin"; fi
answer="$FAKE_DIR/answers/$cnf"; [[ -f $answer ]] || answer="$FAKE_DIR/answers/default"
[[ -f $answer ]] && cat "$answer"
status="$FAKE_DIR/status/$cnf"
exit "$([[ -f $status ]] && cat "$status" || echo 0)"
