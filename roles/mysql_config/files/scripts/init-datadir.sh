# shellcheck shell=bash
# Run as `bash <script>` from the ConfigMap (mounted without execute bits).
# Ordinal 0 with no datadir. A peer holding data means the primary's volume was lost: the
# datadir is rebuilt from the replica that has every transaction any replica has
# (rebuild-primary.sh). A deployment never verified, or an operator's explicit choice,
# gets a new datadir: initialised, secured, the collection's accounts created. Anything
# else stops here, saying why: an empty primary must never serve while data exists
# elsewhere. Either way the result is built in data.partial and renamed to data only when
# complete.
. /etc/stateful-mysql/lib.sh

if [[ -d $DATADIR ]]; then log "datadir present; nothing to initialise"; exit 0; fi
is_primary || { log "not ordinal 0: the clone step provides the datadir"; exit 0; }
# shellcheck source=/dev/null
. "$CONF_DIR/primary-source.sh"
source_of_data="$(choose_source)" || exit 1
if [[ $source_of_data == donor\ * ]]; then
  # shellcheck source=/dev/null
  . "$CONF_DIR/rebuild-primary.sh"
  rebuild_from "${source_of_data#donor }"
  exit 0
fi
if [[ $source_of_data == restore\ * ]]; then
  # shellcheck source=/dev/null
  . "$CONF_DIR/restore-backup.sh"
  restore_backup "${source_of_data#restore }"
  exit 0
fi

rm -rf "$PARTIAL"
mkdir -p "$PARTIAL"
log "initialising a new datadir"
# The flavor's command line, split into words (its paths hold no spaces).
read -ra init_command <<<"$(fill "$INIT_DATADIR" defaults_file="$RUN_DIR/my.cnf" datadir="$PARTIAL")"
"${init_command[@]}" >"$RUN_DIR/init-datadir.log" 2>&1 \
  || { cat "$RUN_DIR/init-datadir.log" >&2; die "datadir initialisation failed"; }

# A temporary server without networking or binary log: the accounts exist before anyone
# can connect, and no bootstrap statement reaches the replicas' GTID history.
local_server init "" --defaults-file="$RUN_DIR/my.cnf" --datadir="$PARTIAL" --skip-networking --skip-log-bin

init_sql() { sql "$1" "$RUN_DIR/init.cnf"; }
account() { printf '%s@%s' "$(sql_quote "$1")" "$(sql_quote "$2")"; }
grants() { # TEMPLATE_LINES ACCOUNT
  local line
  while IFS= read -r line; do [[ -n $line ]] && printf '%s;\n' "$(fill "$line" account="$2")"; done <<<"$1"
}

# Every account but root@localhost and the server's own service accounts goes: anonymous
# users shadow real ones on local connections, socket-only admins bypass passwords.
drop=""
while IFS=$'\t' read -r user host; do
  [[ "$user@$host" == root@localhost ]] && continue
  [[ " $SYSTEM_ACCOUNTS " == *" $user "* ]] && continue
  drop+="DROP USER $(account "$user" "$host");"
done < <(init_sql 'SELECT user, host FROM mysql.user')

repl="$(account "$REPLICATION_USER" %)"
backup="$(account "$BACKUP_USER" "$BACKUP_ACCOUNT_HOST")"
statements="$drop
ALTER USER 'root'@'localhost' IDENTIFIED BY $(sql_quote "$(secret root-password)");
CREATE USER $repl IDENTIFIED BY $(sql_quote "$(secret replication-password)");
$(grants "$REPLICATION_GRANTS" "$repl")
CREATE USER $backup IDENTIFIED BY $(sql_quote "$(secret backup-password)");
$(grants "$BACKUP_GRANTS" "$backup")"
if [[ -n $APP_USER ]]; then
  app="$(account "$APP_USER" %)"
  statements+="
CREATE DATABASE IF NOT EXISTS \`$APP_DATABASE\`;
CREATE USER $app IDENTIFIED BY $(sql_quote "$(secret app-password)");
GRANT ALL PRIVILEGES ON \`$APP_DATABASE\`.* TO $app;"
fi
init_sql "$statements" || die "creating the accounts failed"

write_client_cnf "$RUN_DIR/init.cnf" root "$(secret root-password)" "$RUN_DIR/init.sock"
stop_local_server init
printf 'initialised %s\n' "$(date -u +%FT%TZ)" > "$PARTIAL/.stateful-mysql"
sync
mv "$PARTIAL" "$DATADIR"
log "datadir initialised"
