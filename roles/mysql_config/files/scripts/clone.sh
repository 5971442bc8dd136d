# shellcheck shell=bash
# Run as `bash <script>` from the ConfigMap (mounted without execute bits).
# A replica with no datadir: stream a backup from the previous ordinal, extract it into
# data.partial, check it is complete, prepare it, and only then rename it to data. The
# donor's binary log coordinates are kept for the sidecar to configure replication.
. /etc/stateful-mysql/lib.sh

if [[ -d $DATADIR ]]; then log "datadir present; nothing to clone"; exit 0; fi
ord="$(ordinal)"
((ord > 0)) || { log "ordinal 0 is initialised, not cloned"; exit 0; }
donor="$STS_NAME-$((ord - 1)).$SERVICE_NAME"

# open_stream: connects fd 3 to the donor's clone port and answers its challenge.
open_stream() {
  exec 3<>"/dev/tcp/$donor/$CLONE_PORT" || return 1
  local nonce answer verdict
  IFS= read -r -t 30 nonce <&3 || return 1
  answer="$(printf '%s:%s' "$nonce" "$(secret backup-password)" | sha256sum | cut -d' ' -f1)"
  printf '%s\n' "$answer" >&3
  IFS= read -r -t 30 verdict <&3 || return 1
  [[ $verdict == OK ]] || die "the donor $donor refused the clone request ($verdict)"
}

deadline=$((SECONDS + CLONE_WAIT_SECONDS))
until open_stream 2>/dev/null; do
  exec 3<&- 2>/dev/null || true
  ((SECONDS < deadline)) || die "could not reach the donor $donor:$CLONE_PORT within ${CLONE_WAIT_SECONDS}s"
  log "waiting for the donor $donor:$CLONE_PORT"
  sleep 2
done

rm -rf "$PARTIAL"
mkdir -p "$PARTIAL"
log "receiving a backup from $donor"
started=$SECONDS
"$STREAM_BIN" -x -C "$PARTIAL" <&3 || die "extracting the stream from $donor failed"
exec 3<&-
# The backup tool writes its checkpoints and binlog coordinates last: a stream cut short
# lacks them even when the extractor exited cleanly.
prefix=""
for candidate in $BACKUP_FILE_PREFIXES; do
  [[ -f "$PARTIAL/${candidate}_checkpoints" ]] && { prefix="$candidate"; break; }
done
if [[ -z $prefix ]] || ! grep -q '^backup_type = full-backuped' "$PARTIAL/${prefix}_checkpoints"; then
  die "the backup from $donor is incomplete (no finished checkpoints file)"
fi
[[ -s "$PARTIAL/${prefix}_binlog_info" ]] || die "the backup from $donor has no binlog coordinates"
log "received $(du -sh "$PARTIAL" | cut -f1) in $((SECONDS - started))s; preparing"
"$BACKUP_BIN" --prepare --target-dir="$PARTIAL" >"$RUN_DIR/prepare.log" 2>&1 \
  || { tail -n 30 "$RUN_DIR/prepare.log" >&2; die "preparing the backup failed"; }

# Replication state copied from a replica donor would point at the donor's relay logs.
rm -f "$PARTIAL"/master.info "$PARTIAL"/relay-log.info "$PARTIAL"/multi-master.info "$PARTIAL"/relay-bin.*

rm -rf "$SETUP_DIR"
mkdir -p "$SETUP_DIR.tmp"
cp "$PARTIAL/${prefix}_binlog_info" "$SETUP_DIR.tmp/binlog_info"
if [[ -f "$PARTIAL/${prefix}_slave_info" ]]; then cp "$PARTIAL/${prefix}_slave_info" "$SETUP_DIR.tmp/slave_info"; fi
printf '%s\n' "$donor" > "$SETUP_DIR.tmp/donor"
printf 'pending\n' > "$SETUP_DIR.tmp/state"
printf 'cloned from %s %s\n' "$donor" "$(date -u +%FT%TZ)" > "$PARTIAL/.stateful-mysql"
sync
mv "$SETUP_DIR.tmp" "$SETUP_DIR"
mv "$PARTIAL" "$DATADIR"
log "datadir cloned from $donor in $((SECONDS - started))s"
