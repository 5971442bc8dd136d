# shellcheck shell=bash
# Sourced by clone.sh (MariaDB): a mariadb-backup stream from the donor's sidecar,
# extracted into data.partial, checked complete and prepared. The donor's binary log
# coordinates are kept for the sidecar.

# open_stream: connects fd 3 to the donor's clone port and answers its challenge.
open_stream() {
  exec 3<>"/dev/tcp/$DONOR/$CLONE_PORT" || return 1
  local nonce answer verdict
  IFS= read -r -t 30 nonce <&3 || return 1
  answer="$(printf '%s:%s' "$nonce" "$(secret backup-password)" | sha256sum | cut -d' ' -f1)"
  printf '%s\n' "$answer" >&3
  IFS= read -r -t 30 verdict <&3 || return 1
  [[ $verdict == OK ]] || die "the donor $DONOR refused the clone request ($verdict)"
}

clone_from_donor() {
  local deadline=$((SECONDS + CLONE_WAIT_SECONDS))
  until open_stream 2>/dev/null; do
    # Closing alone: an exec with 2>/dev/null would silence the rest of the script's log.
    exec 3<&-
    ((SECONDS < deadline)) || die "could not reach the donor $DONOR:$CLONE_PORT within ${CLONE_WAIT_SECONDS}s"
    log "waiting for the donor $DONOR:$CLONE_PORT"
    sleep 2
  done
  log "receiving a backup from $DONOR"
  receive_backup "the backup from $DONOR" <&3
  exec 3<&-
}

# receive_backup WHAT: a mariadb-backup stream on stdin into PARTIAL, checked complete and
# prepared; its binary log coordinates are kept in SETUP_DIR.tmp. WHAT names it in errors.
# (restore-backup.sh extracts a stored backup with it too.)
receive_backup() {
  local started=$SECONDS prefix="" candidate
  mkdir -p "$PARTIAL"
  "$STREAM_BIN" -x -C "$PARTIAL" || die "extracting $1 failed"
  # The backup tool writes its checkpoints and binlog coordinates last: a stream cut short
  # lacks them even when the extractor exited cleanly.
  for candidate in $BACKUP_FILE_PREFIXES; do
    [[ -f "$PARTIAL/${candidate}_checkpoints" ]] && { prefix="$candidate"; break; }
  done
  if [[ -z $prefix ]] || ! grep -q '^backup_type = full-backuped' "$PARTIAL/${prefix}_checkpoints"; then
    die "$1 is incomplete (no finished checkpoints file)"
  fi
  [[ -s "$PARTIAL/${prefix}_binlog_info" ]] || die "$1 has no binlog coordinates"
  log "received $(du -sh "$PARTIAL" | cut -f1) in $((SECONDS - started))s; preparing"
  "$BACKUP_BIN" --prepare --target-dir="$PARTIAL" >"$RUN_DIR/prepare.log" 2>&1 \
    || { tail -n 30 "$RUN_DIR/prepare.log" >&2; die "preparing the backup failed"; }
  # Replication state copied from a replica donor would point at the donor's relay logs.
  rm -f "$PARTIAL"/master.info "$PARTIAL"/relay-log.info "$PARTIAL"/multi-master.info "$PARTIAL"/relay-bin.*
  cp "$PARTIAL/${prefix}_binlog_info" "$SETUP_DIR.tmp/binlog_info"
  if [[ -f "$PARTIAL/${prefix}_slave_info" ]]; then cp "$PARTIAL/${prefix}_slave_info" "$SETUP_DIR.tmp/slave_info"; fi
}
