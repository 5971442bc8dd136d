# shellcheck shell=bash
# Sourced by backup.sh and restore-backup.sh (MariaDB). The backup: mariadb-backup streams
# xbstream to stdout (as for a new replica, serve-backup.sh), as the backup account; its
# log tells the binary log coordinates and, from a replica, the primary's GTID position it
# had applied. The restore: the clone's own extraction (clone-stream.sh).

stream_backup() {
  local log_file="$BACKUP_DIR.log" line
  mkdir -p "$BACKUP_DIR"
  trap 'rm -rf "$BACKUP_DIR" "$BACKUP_DIR.log"' EXIT
  log "mariadb-backup --stream=xbstream"
  "$BACKUP_BIN" --defaults-file="$RUN_DIR/backup.cnf" --backup --stream=xbstream --slave-info \
    --target-dir="$BACKUP_DIR" 2>"$log_file" \
    || { tail -n 20 "$log_file" >&2; die "mariadb-backup failed"; }
  grep -q 'completed OK!' "$log_file" || { tail -n 20 "$log_file" >&2; die "mariadb-backup did not complete"; }
  line="$(grep -m1 'MySQL binlog position:' "$log_file" || true)"
  if [[ $line =~ filename\ \'([^\']*)\',\ position\ \'([0-9]+)\'(,\ GTID\ of\ the\ last\ change\ \'([^\']*)\')? ]]; then
    fact binlog-file "${BASH_REMATCH[1]}"
    fact binlog-position "${BASH_REMATCH[2]}"
    fact binlog-gtid "${BASH_REMATCH[4]}"
  fi
  line="$(grep -m1 'MySQL slave binlog position:' "$log_file" || true)"
  [[ $line =~ gtid_slave_pos\ \'([^\']*)\' ]] && fact replica-gtid "${BASH_REMATCH[1]}"
  log "backup streamed"
}

extract_backup() {
  # shellcheck source=/dev/null
  . "$CONF_DIR/clone-stream.sh"
  receive_backup "backup $RESTORE_ID" < "$1"
}
