# shellcheck shell=bash
# Sourced by clone.sh (MySQL): the CLONE plugin copies the donor into data.partial. A
# recipient must be a running server, so a throwaway one (scratch datadir in /tmp, socket
# only, no binary log) runs the CLONE statement and is removed afterwards. The donor's
# GTID set and binary log coordinates travel inside the clone; the sidecar reads them
# from the server.

scratch=/tmp/clone-scratch

# The donor, as the clone account, over TLS: the same login CLONE itself will make.
donor_answers() {
  (umask 077 && printf '[client]\nuser=%s\npassword=%s\nhost=%s\nport=%s\nssl-mode=REQUIRED\nconnect-timeout=5\n' \
    "$BACKUP_USER" "$(cnf_quote "$(secret backup-password)")" "$DONOR" "$MYSQL_PORT" > "$RUN_DIR/donor.cnf")
  sql 'SELECT 1' "$RUN_DIR/donor.cnf" >/dev/null 2>"$RUN_DIR/donor.err"
}

clone_from_donor() {
  local deadline=$((SECONDS + CLONE_WAIT_SECONDS)) started
  until donor_answers; do
    ((SECONDS < deadline)) || { cat "$RUN_DIR/donor.err" >&2; die "the donor $DONOR:$MYSQL_PORT did not accept the clone account within ${CLONE_WAIT_SECONDS}s"; }
    log "waiting for the donor $DONOR:$MYSQL_PORT"
    sleep 2
  done
  rm -f "$RUN_DIR/donor.cnf"
  rm -rf "$scratch"
  read -ra init_command <<<"$(fill "$INIT_SCRATCH_DATADIR" datadir="$scratch")"
  "${init_command[@]}" >"$RUN_DIR/scratch-init.log" 2>&1 \
    || { cat "$RUN_DIR/scratch-init.log" >&2; die "initialising the clone recipient's scratch datadir failed"; }
  read -ra options <<<"$SCRATCH_SERVER_OPTIONS"
  local_server scratch "" "${options[@]}" --datadir="$scratch"
  log "cloning $DONOR into $PARTIAL"
  started=$SECONDS
  # Only the donor is a valid donor; the directory must not exist (CLONE creates it).
  sql "$(fill "$CLONE_DONOR_LIST" donor="$(sql_quote "$DONOR:$MYSQL_PORT")");
$(fill "$CLONE_STATEMENT" user="$(sql_quote "$BACKUP_USER")" host="$(sql_quote "$DONOR")" port="$MYSQL_PORT" \
      directory="$(sql_quote "$PARTIAL")" password="$(sql_quote "$(secret backup-password)")");" \
    "$RUN_DIR/scratch.cnf" 2>"$RUN_DIR/clone.err" \
    || { cat "$RUN_DIR/clone.err" >&2; rm -rf "$PARTIAL"; die "cloning $DONOR failed"; }
  stop_local_server scratch
  rm -rf "$scratch"
  [[ -f "$PARTIAL/mysql.ibd" ]] || die "the clone of $DONOR is incomplete (no mysql.ibd)"
  log "cloned $(du -sh "$PARTIAL" | cut -f1) in $((SECONDS - started))s"
}
