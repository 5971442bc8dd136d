# shellcheck shell=bash
# Run as `bash <script>` from the ConfigMap (mounted without execute bits).
# The replication sidecar: configures replication once on a freshly cloned replica (and
# never re-points one that already has a source); on MariaDB it then serves backups to
# clone peers (MySQL peers clone through the server's own CLONE plugin).
. /etc/stateful-mysql/lib.sh

set_state() { printf '%s\n' "$1" > "$SETUP_DIR/state.tmp" && mv "$SETUP_DIR/state.tmp" "$SETUP_DIR/state"; }
donor_ordinal() { local donor; donor="$(cat "$SETUP_DIR/donor")"; donor="${donor%%.*}"; printf '%s' "${donor##*-}"; }

# coordinates: prints "gtid <set>" or "position <file> <pos>" for the primary, from what
# the clone left.
coordinates() {
  if [[ $CLONE_METHOD == plugin ]]; then
    # The GTID set came inside the clone (gtid_executed): nothing to set.
    if [[ $REPLICATION_MODE == gtid ]]; then printf 'gtid\n'; return; fi
    # A primary donor's own coordinates, as the clone recorded them; a replica donor's
    # applier position in the primary's binary log, copied with its data.
    local query="$APPLIER_COORDINATES_QUERY"
    (($(donor_ordinal) == 0)) && query="$CLONE_COORDINATES_QUERY"
    local file pos
    read -r file pos < <(sql "$query")
    [[ -n $file && $pos =~ ^[0-9]+$ ]] || die "the clone recorded no binary log coordinates"
    printf 'position %s %s\n' "$file" "$pos"
    return
  fi
  # A backup stream: a replica donor's slave_info names the primary's coordinates; a
  # primary donor's binlog_info holds its own (file, position and, with GTIDs, a third field).
  local file pos gtid slave=""
  read -r file pos gtid < "$SETUP_DIR/binlog_info"
  [[ -f $SETUP_DIR/slave_info ]] && slave="$(tr '\n' ' ' < "$SETUP_DIR/slave_info")"
  if [[ $REPLICATION_MODE == gtid ]]; then
    if [[ $slave =~ gtid_(slave_pos|purged)[[:space:]]*=[[:space:]]*\'([^\']*)\' ]]; then
      gtid="${BASH_REMATCH[2]}"
    fi
    printf 'gtid %s\n' "${gtid:-}"
  elif [[ -n $slave ]]; then
    [[ $slave =~ _LOG_FILE[[:space:]]*=[[:space:]]*\'([^\']+)\' ]] || die "no log file in slave_info: $slave"
    file="${BASH_REMATCH[1]}"
    [[ $slave =~ _LOG_POS[[:space:]]*=[[:space:]]*([0-9]+) ]] || die "no log position in slave_info: $slave"
    printf 'position %s %s\n' "$file" "${BASH_REMATCH[1]}"
  else
    printf 'position %s %s\n' "$file" "$pos"
  fi
}

configure_replica() {
  local kind a b change coords
  coords="$(coordinates)"
  read -r kind a b <<<"$coords"
  # The password goes last: fill must not expand placeholders inside it.
  local common=(host="$(sql_quote "$(primary_host)")" port="$MYSQL_PORT" user="$(sql_quote "$REPLICATION_USER")")
  local password
  password="password=$(sql_quote "$(secret replication-password)")"
  local statements="$STOP_REPLICA; $RESET_REPLICA;"
  if [[ $kind == gtid ]]; then
    if [[ -n ${a:-} && -n $SET_GTID_FROM_CLONE ]]; then
      statements+=" $RESET_GTID; $(fill "$SET_GTID_FROM_CLONE" gtid="$(sql_quote "$a")");"
    fi
    change="$(fill "$CHANGE_SOURCE_GTID" "${common[@]}" "$password")"
    log "replicating from $(primary_host) with GTID${a:+, starting after $a}"
  else
    change="$(fill "$CHANGE_SOURCE_POSITION" "${common[@]}" file="$(sql_quote "$a")" position="$b" "$password")"
    log "replicating from $(primary_host) at $a:$b"
  fi
  sql "$statements $change;"
}

setup_replication() {
  [[ -f $SETUP_DIR/state ]] || { log "no clone coordinates pending; replication left as it is"; return 0; }
  case "$(cat "$SETUP_DIR/state")" in
    pending)
      # Nothing has replicated yet (the server started with replication held back), so
      # repeating this after a crash is safe.
      configure_replica
      set_state configured
      ;& # fall through
    configured)
      sql "$START_REPLICA"
      set_state started
      log "replication started"
      ;;
    started) log "replication was set up earlier; leaving it as it is" ;;
    *) die "unknown replication setup state in $SETUP_DIR/state" ;;
  esac
}

# catch_up_from_peer: when the primary lacks transactions this replica still needs (it was
# rebuilt from a peer that was further ahead), replicate from that peer until this replica
# has everything the peer had, then follow the primary again.
catch_up_from_peer() {
  local mine host gtid donor="" target deadline
  mine="$(own_gtid)"
  for host in $(peers); do
    [[ $host == "$(primary_host)" ]] && continue
    gtid="$(peer_gtid "$host")"
    [[ -n $gtid ]] || continue
    if gtid_covers "$gtid" "$mine" "$host" && ! gtid_covers "$mine" "$gtid" "$host"; then donor="$host"; target="$gtid"; break; fi
  done
  [[ -n $donor ]] || { log "the primary lacks transactions this replica needs and no peer has them yet"; return 0; }
  log "the primary lacks transactions this replica needs; catching up from $donor (to $target)"
  sql "$STOP_REPLICA; $(fill "$CHANGE_SOURCE_GTID" host="$(sql_quote "$donor")" port="$MYSQL_PORT" \
    user="$(sql_quote "$REPLICATION_USER")" password="$(sql_quote "$(secret replication-password)")"); $START_REPLICA"
  deadline=$((SECONDS + 600))
  until gtid_covers "$(own_gtid)" "$target" "$donor"; do
    ((SECONDS < deadline)) || { log "catching up from $donor did not finish within 600s"; break; }
    sleep 1
  done
  sql "$STOP_REPLICA; $(fill "$CHANGE_SOURCE_GTID" host="$(sql_quote "$(primary_host)")" port="$MYSQL_PORT" \
    user="$(sql_quote "$REPLICATION_USER")" password="$(sql_quote "$(secret replication-password)")"); $START_REPLICA"
  log "caught up from $donor; replicating from $(primary_host) again"
}

# watch_source: every few seconds, the one replication failure this sidecar repairs itself.
watch_source() {
  local status errno
  while :; do
    sleep 5
    status="$(replica_status 2>/dev/null)" || continue
    [[ -n $status && $(status_field "$status" "$COLUMN_IO_RUNNING") == No ]] || continue
    errno="$(status_field "$status" "$COLUMN_LAST_IO_ERRNO")"
    [[ " $SOURCE_LACKS_HISTORY_ERRORS " == *" $errno "* ]] || continue
    [[ $REPLICATION_MODE == gtid ]] && catch_up_from_peer
  done
}

# upgrade_server: a new version's own upgrade step, before this pod counts as Ready.
upgrade_server() {
  upgrade_due || return 0
  local command; read -ra command <<<"$(fill "$UPGRADE_COMMAND" cnf="$RUN_DIR/root.cnf")"
  log "the server runs a new version; upgrading its system tables"
  "${command[@]}" >"$RUN_DIR/upgrade.log" 2>&1 || { tail -n 20 "$RUN_DIR/upgrade.log" >&2; die "the server's upgrade step failed"; }
  log "system tables upgraded to $(sql 'SELECT VERSION()')"
}

wait_for_server 600 || die "the server did not answer within 600s"
upgrade_server
trap 'kill $(jobs -p) 2>/dev/null; exit 0' TERM INT
if ! is_primary; then
  setup_replication
  watch_source &
fi
if [[ $CLONE_METHOD == stream ]]; then
  # The backup tool reads the server's options and connects as the backup account.
  (umask 077 && printf '!include %s/my.cnf\n\n[client]\nuser=%s\npassword=%s\nsocket=%s\n' \
    "$RUN_DIR" "$BACKUP_USER" "$(cnf_quote "$(secret backup-password)")" "$SOCKET" > "$RUN_DIR/backup.cnf")
  log "serving backups on port $CLONE_PORT"
  # 128 KiB transfers: with socat's 8 KiB default a clone moved at half the local disk rate.
  socat -d -b 131072 "TCP-LISTEN:$CLONE_PORT,reuseaddr,fork,backlog=8" EXEC:"bash $CONF_DIR/serve-backup.sh" &
else
  log "replication set up; nothing to serve (peers clone through the server)"
fi
# Until the pod stops, or socat or the watch ends (then the kubelet restarts this container).
while :; do sleep 3600; done &
wait -n
