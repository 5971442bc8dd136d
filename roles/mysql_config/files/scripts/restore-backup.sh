# shellcheck shell=bash
# Sourced by init-datadir.sh: ordinal 0 of a deployment created to restore a backup (key
# restore-from in <name>-state, written by site.yml with the backup's sha256 and size from
# its manifest). The controller (module stateful.mysql.backup_restore, run by site.yml)
# sends the stored stream into RESTORE_DIR (receive-backup.sh); its sha256 is compared with
# the manifest's before anything is extracted; the flavor's extraction fills data.partial;
# a temporary server without networking or grant tables gives the collection's accounts
# this deployment's passwords and makes the copy a primary (as rebuild-primary.sh does).
# data.partial becomes data only when every step succeeded. Replicas then clone from
# ordinal 0 as usual.

RESTORE_DIR=/tmp/restore
# How long ordinal 0 waits for the stream (site.yml sends it right after the apply).
RESTORE_WAIT_SECONDS=3600

# restore_accounts: SQL giving root, the replication, backup and application accounts this
# deployment's names, passwords and grants, whatever the backed-up server had.
restore_accounts() {
  local line account
  quoted() { printf '%s@%s' "$(sql_quote "$1")" "$(sql_quote "$2")"; }
  ensure() { # USER HOST SECRET_KEY GRANTS
    account="$(quoted "$1" "$2")"
    printf 'CREATE USER IF NOT EXISTS %s IDENTIFIED BY %s;\n' "$account" "$(sql_quote "$(secret "$3")")"
    printf 'ALTER USER %s IDENTIFIED BY %s;\n' "$account" "$(sql_quote "$(secret "$3")")"
    while IFS= read -r line; do [[ -n $line ]] && printf '%s;\n' "$(fill "$line" account="$account")"; done <<<"$4"
  }
  printf 'ALTER USER %s IDENTIFIED BY %s;\n' "$(quoted root localhost)" "$(sql_quote "$(secret root-password)")"
  ensure "$REPLICATION_USER" % replication-password "$REPLICATION_GRANTS"
  ensure "$BACKUP_USER" "$BACKUP_ACCOUNT_HOST" backup-password "$BACKUP_GRANTS"
  if [[ -n $APP_USER ]]; then
    printf "CREATE DATABASE IF NOT EXISTS \`%s\`;\n" "$APP_DATABASE"
    ensure "$APP_USER" % app-password "GRANT ALL PRIVILEGES ON \`$APP_DATABASE\`.* TO {account}"
  fi
}

restore_backup() {
  # shellcheck disable=SC2034  # extract_backup names the backup with it
  RESTORE_ID="$1"
  local stream="$RESTORE_DIR/$1.stream" sha size format actual started=$SECONDS gtid statements line
  sha="$(state restore-sha256 || true)" size="$(state restore-size || true)" format="$(state restore-format || true)"
  [[ $sha =~ ^[0-9a-f]{64}$ && $size =~ ^[0-9]+$ ]] \
    || die "restore-from names backup $1, but restore-sha256 or restore-size in $STATE_DIR is missing or malformed"
  [[ $format == "$BACKUP_FORMAT" ]] || die "backup $1 is a '$format' stream; this $BACKUP_METHOD pod restores '$BACKUP_FORMAT'"
  log "restoring backup $1 ($size bytes): waiting for site.yml to send it"
  local deadline=$((SECONDS + RESTORE_WAIT_SECONDS))
  until [[ -f $stream ]]; do
    ((SECONDS < deadline)) || die "backup $1 did not arrive within ${RESTORE_WAIT_SECONDS}s; run site.yml again with mysql_backup_restore_id=$1"
    sleep 1
  done
  actual="$(sha256sum "$stream" | cut -d' ' -f1)"
  if [[ $actual != "$sha" ]]; then
    rm -f "$stream"
    die "backup $1 is corrupt: the stream's sha256 is $actual, its manifest says $sha; nothing was extracted"
  fi
  log "backup $1 verified (sha256 $sha); extracting it"
  # shellcheck source=/dev/null
  . "$CONF_DIR/backup-$BACKUP_METHOD.sh"
  # shellcheck source=/dev/null
  . "$CONF_DIR/rebuild-primary.sh"
  rm -rf "$PARTIAL" "$SETUP_DIR.tmp"
  mkdir -p "$PARTIAL" "$SETUP_DIR.tmp"
  extract_backup "$stream"
  rm -f "$stream"
  gtid="$(rebuild_gtid)"
  # Nothing here reaches the binary log: the restored history is the backup's.
  statements="SET SESSION sql_log_bin = 0;
FLUSH PRIVILEGES;
$(restore_accounts)"
  while IFS= read -r line; do
    [[ -n $line ]] && statements+=$'\n'"$(fill "$line" gtid="$(sql_quote "$gtid")");"
  done <<<"$PRIMARY_REBUILD_SQL"
  local_server restore "" --defaults-file="$RUN_DIR/my.cnf" --datadir="$PARTIAL" --skip-networking \
    --skip-grant-tables "$SKIP_REPLICA_START_OPTION"
  sql "$statements" "$RUN_DIR/restore.cnf" >/dev/null || die "giving the restored datadir this deployment's accounts failed"
  write_client_cnf "$RUN_DIR/restore.cnf" root "$(secret root-password)" "$RUN_DIR/restore.sock"
  stop_local_server restore
  rm -rf "$SETUP_DIR.tmp"
  printf 'restored from backup %s %s\n' "$1" "$(date -u +%FT%TZ)" > "$PARTIAL/.stateful-mysql"
  sync
  mv "$PARTIAL" "$DATADIR"
  log "backup $1 restored in $((SECONDS - started))s${gtid:+, continuing after $gtid}"
}
