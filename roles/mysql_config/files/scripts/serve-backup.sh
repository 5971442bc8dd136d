# shellcheck shell=bash
# Run as `bash <script>` from the ConfigMap (mounted without execute bits).
# One clone request, on the socket socat hands over as stdin/stdout: challenge the peer,
# and stream a backup only when it proves it holds the backup password.
. /etc/stateful-mysql/lib.sh

peer="${SOCAT_PEERADDR:-unknown}"
nonce="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s\n' "$nonce"
answer=""
IFS= read -r -t 10 answer || true
expected="$(printf '%s:%s' "$nonce" "$(secret backup-password)" | sha256sum | cut -d' ' -f1)"
if [[ $answer != "$expected" ]]; then
  log "refused a clone request from $peer: wrong or missing answer"
  printf 'DENIED\n'
  # Exit 0: socat treats a failed child as fatal and would drop the verdict unsent.
  exit 0
fi
printf 'OK\n'
log "streaming a backup to $peer"
target="$(mktemp -d)"
trap 'rm -rf "$target"' EXIT
"$BACKUP_BIN" --defaults-file="$RUN_DIR/backup.cnf" --backup --stream=xbstream --slave-info \
  --target-dir="$target" 2>"$RUN_DIR/backup-last.log" \
  || { log "the backup for $peer failed:"; tail -n 20 "$RUN_DIR/backup-last.log" >&2; exit 1; }
log "backup streamed to $peer"
