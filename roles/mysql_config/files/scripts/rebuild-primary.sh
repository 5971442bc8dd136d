# shellcheck shell=bash
# Sourced by init-datadir.sh: ordinal 0 rebuilt from a replica's data, with the same clone
# method as a new replica, then made a primary (the replica's channel dropped and, on
# MariaDB, the GTID numbering carried on) by a temporary local server before anyone can
# connect.

# rebuild_gtid: the GTID position the rebuilt datadir holds, from what the clone left.
rebuild_gtid() {
  local slave="" gtid=""
  [[ -f $SETUP_DIR.tmp/slave_info ]] && slave="$(tr '\n' ' ' < "$SETUP_DIR.tmp/slave_info")"
  if [[ $slave =~ gtid_(slave_pos|purged)[[:space:]]*=[[:space:]]*\'([^\']*)\' ]]; then
    gtid="${BASH_REMATCH[2]}"
  elif [[ -f $SETUP_DIR.tmp/binlog_info ]]; then
    read -r _ _ gtid < "$SETUP_DIR.tmp/binlog_info"
  fi
  printf '%s' "$gtid"
}

rebuild_from() {
  DONOR="$1"
  # shellcheck source=/dev/null
  . "$CONF_DIR/clone-$CLONE_METHOD.sh"
  rm -rf "$PARTIAL" "$SETUP_DIR.tmp"
  mkdir -p "$SETUP_DIR.tmp"
  local started=$SECONDS gtid statements="" line
  clone_from_donor
  gtid="$(rebuild_gtid)"
  while IFS= read -r line; do
    [[ -n $line ]] && statements+="$(fill "$line" gtid="$(sql_quote "$gtid")");"$'\n'
  done <<<"$PRIMARY_REBUILD_SQL"
  local_server rebuild "$(secret root-password)" --defaults-file="$RUN_DIR/my.cnf" --datadir="$PARTIAL" \
    --skip-networking "$SKIP_REPLICA_START_OPTION"
  sql "$statements" "$RUN_DIR/rebuild.cnf" || die "making the rebuilt datadir a primary failed"
  stop_local_server rebuild
  rm -rf "$SETUP_DIR.tmp"
  printf 'primary rebuilt from %s at %s %s\n' "$DONOR" "${gtid:-(GTID position in the clone)}" "$(date -u +%FT%TZ)" > "$PARTIAL/.stateful-mysql"
  sync
  mv "$PARTIAL" "$DATADIR"
  log "primary rebuilt from $DONOR in $((SECONDS - started))s${gtid:+, continuing after $gtid}"
}
