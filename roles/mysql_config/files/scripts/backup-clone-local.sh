# shellcheck shell=bash
# Sourced by backup.sh and restore-backup.sh (MySQL). The backup: the server's CLONE LOCAL
# copies its data into BACKUP_DIR (consistent, without blocking writes; on a super_read_only
# replica too); a temporary server on the copy (socket only, no binary log, no replication)
# finishes the clone's recovery, reports the GTID set it holds and drops the replication
# channel the copy came with; then the directory leaves as a "stateful-mysql-files 1"
# stream on stdout. The official MySQL image has no tar, so the format is this one: the
# line "stateful-mysql-files 1", then per directory a line "D <path>", per file a line
# "F <size> <path>" followed by its bytes, and "E <records>" last, so a stream cut short is
# recognisable even before its checksum is compared.

FILES_HEADER="stateful-mysql-files 1"

# emit_files DIR: DIR's directories and files as a stateful-mysql-files stream on stdout.
emit_files() {
  local path size records=0
  (
    cd "$1" || exit 1
    shopt -s globstar dotglob nullglob
    printf '%s\n' "$FILES_HEADER"
    for path in **; do
      [[ $path != *$'\n'* ]] || die "cannot stream a file name holding a newline: $path"
      if [[ -d $path ]]; then
        printf 'D %s\n' "$path"
      elif [[ -f $path ]]; then
        size="$(stat -c %s -- "$path")"
        printf 'F %s %s\n' "$size" "$path"
        head -c "$size" -- "$path"
      else
        continue
      fi
      records=$((records + 1))
    done
    printf 'E %s\n' "$records"
  )
}

# extract_files FILE: a stateful-mysql-files stream into PARTIAL; dies on anything but a
# complete, well-formed stream (names with "..", a short file, no end record).
extract_files() {
  local line size path records=0
  exec 4<"$1"
  IFS= read -r line <&4 || line=""
  [[ $line == "$FILES_HEADER" ]] || die "not a $FILES_HEADER stream"
  while IFS= read -r line <&4; do
    if [[ $line =~ ^E\ ([0-9]+)$ ]]; then
      ((BASH_REMATCH[1] == records)) || die "the stream announces ${BASH_REMATCH[1]} records and holds $records"
      exec 4<&-
      return 0
    fi
    [[ $line =~ ^(D|F\ ([0-9]+))\ (.+)$ ]] || die "unreadable record in the stream: ${line:0:80}"
    size="${BASH_REMATCH[2]}" path="${BASH_REMATCH[3]}"
    [[ $path != /* && /$path/ != */../* ]] || die "the stream names a path outside the datadir: $path"
    if [[ -z $size ]]; then
      mkdir -p -- "$PARTIAL/$path"
    else
      head -c "$size" <&4 > "$PARTIAL/$path"
      [[ "$(stat -c %s -- "$PARTIAL/$path")" == "$size" ]] || die "the stream ends inside $path"
    fi
    records=$((records + 1))
  done
  die "the stream has no end record: it was cut short"
}

stream_backup() {
  local gtid cnf="$RUN_DIR/backup-copy.cnf"
  trap '[[ -z ${LOCAL_SERVER_PID:-} ]] || kill "$LOCAL_SERVER_PID" 2>/dev/null || true; rm -rf "$BACKUP_DIR" "$RUN_DIR/backup-copy.cnf"' EXIT
  log "CLONE LOCAL into $BACKUP_DIR"
  sql "$(fill "$BACKUP_STATEMENT" directory="$(sql_quote "$BACKUP_DIR")")" >/dev/null 2>"$RUN_DIR/backup.err" \
    || { cat "$RUN_DIR/backup.err" >&2; die "CLONE LOCAL failed"; }
  # The pod's own options (the datadir's settings), with a small memory footprint: the
  # copy is opened only to finish its recovery and to be asked.
  local_server backup-copy "$(secret root-password)" --defaults-file="$RUN_DIR/my.cnf" --datadir="$BACKUP_DIR" \
    --skip-networking --skip-log-bin "$SKIP_REPLICA_START_OPTION" --read-only=OFF --super-read-only=OFF \
    --innodb-buffer-pool-size=16M --innodb-redo-log-capacity=8M --performance-schema=OFF
  gtid="$(sql 'SELECT @@GLOBAL.gtid_executed' "$cnf")" || die "the copy does not say its GTID set"
  gtid="${gtid//\\n/}"
  sql "$RESET_REPLICA" "$cnf" || die "dropping the copy's replication channel failed"
  stop_local_server backup-copy
  LOCAL_SERVER_PID=""
  # What a new server makes for itself (its uuid, certificates, temporary tablespaces) and
  # what only a replica needs.
  rm -rf "$BACKUP_DIR"/auto.cnf "$BACKUP_DIR"/*.pem "$BACKUP_DIR"/*relay-bin* "$BACKUP_DIR/#innodb_temp" \
    "$BACKUP_DIR"/ibtmp1 "$BACKUP_DIR"/*.pid
  [[ -f $BACKUP_DIR/mysql.ibd ]] || die "the clone is incomplete (no mysql.ibd)"
  fact gtid "${gtid//[[:space:]]/}"
  fact data-bytes "$(du -sb "$BACKUP_DIR" | cut -f1)"
  log "streaming $(du -sh "$BACKUP_DIR" | cut -f1)"
  emit_files "$BACKUP_DIR"
  log "backup streamed"
}

# extract_backup FILE: restore-backup.sh's step: the stream into PARTIAL, as a datadir of
# its own (a new server_uuid on first start).
extract_backup() {
  extract_files "$1"
  rm -f "$PARTIAL/auto.cnf"
  [[ -f $PARTIAL/mysql.ibd ]] || die "the backup holds no mysql.ibd"
}
