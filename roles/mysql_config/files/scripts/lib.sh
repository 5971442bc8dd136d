# Shared by every script in the pod: paths, settings, logging, SQL helpers. Sourced.
# shellcheck shell=bash
# shellcheck disable=SC2034  # the paths below are for the scripts that source this file
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true  # '&' in a password must stay literal

SCRIPT="$(basename "$0" .sh)"
CONF_DIR=/etc/stateful-mysql
SECRET_DIR=/etc/stateful-mysql-secret
RUN_DIR=/run/stateful-mysql
DATA_ROOT=/var/lib/mysql
DATADIR=$DATA_ROOT/data
PARTIAL=$DATA_ROOT/data.partial
SETUP_DIR=$DATA_ROOT/replication-setup
SOCKET=$RUN_DIR/mysqld.sock
# shellcheck source=/dev/null
. "$CONF_DIR/flavor.env"
# shellcheck source=/dev/null
. "$CONF_DIR/settings.env"

log() { printf '%s %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$SCRIPT" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

ordinal() {
  local host="${HOSTNAME:-$(hostname)}"
  [[ $host =~ -([0-9]+)$ ]] || die "cannot read an ordinal from the hostname '$host'"
  printf '%s' "${BASH_REMATCH[1]}"
}
is_primary() { [[ "$(ordinal)" == 0 ]]; }
primary_host() { printf '%s-0.%s' "$STS_NAME" "$SERVICE_NAME"; }

# secret KEY: the value of a key of the credentials Secret, byte for byte. A value ending in a
# line break (what `kubectl create secret --from-file` stores from a file that ends in one) is
# refused, not trimmed: trimming would set a password other than the Secret's, and the modules
# (ClusterApi.secret_key) refuse the same values.
secret() {
  local file="$SECRET_DIR/$1" value
  [[ -s $file ]] || die "the Secret ${SECRET_NAME:-} has no value for key '$1'"
  value="$(cat "$file"; printf x)"  # the x keeps trailing newlines from $(...)'s trimming
  value="${value%x}"
  [[ $value != *$'\n' && $value != *$'\r' ]] \
    || die "key '$1' of the Secret ${SECRET_NAME:-} ends with a line break; store the value without it (kubectl create secret --from-literal, or a file without a final newline)"
  printf '%s' "$value"
}

# Every session sql() opens reads string literals with NO_BACKSLASH_ESCAPES, whatever sql_mode
# the server runs with (a user may set it): a backslash is then an ordinary character under
# every server setting, and sql_quote's literals read back as the value they quote.
SQL_LITERAL_MODE="SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'NO_BACKSLASH_ESCAPES');"
# SQL string literal for sql()'s sessions: single quotes doubled, wrapped in single quotes;
# backslashes stay as they are (literal under SQL_LITERAL_MODE).
sql_quote() { local s="${1//\'/\'\'}"; printf "'%s'" "$s"; }
# Option-file value: double-quoted with backslashes and double quotes escaped, newlines as \n
# (the client reads the file line by line).
cnf_quote() { local s="${1//\\/\\\\}"; s="${s//\"/\\\"}"; s="${s//$'\n'/\\n}"; printf '"%s"' "$s"; }

# fill TEMPLATE key=value...: replaces each {key} in TEMPLATE.
fill() {
  local out="$1" pair; shift
  for pair in "$@"; do out="${out//\{${pair%%=*}\}/${pair#*=}}"; done
  printf '%s' "$out"
}

# write_client_cnf FILE USER PASSWORD [SOCKET]: a private option file for the client tools.
write_client_cnf() {
  local file="$1" user="$2" password="$3" sock="${4:-$SOCKET}"
  (umask 077 && printf '[client]\nuser=%s\npassword=%s\nsocket=%s\n' \
    "$user" "$(cnf_quote "$password")" "$sock" > "$file.tmp") && mv "$file.tmp" "$file"
}

# sql STATEMENTS [CLIENT_OPTION_FILE]: runs as root through the local socket (or as the
# option file says); prints tab-separated rows. Statements go on stdin, never in argv,
# where passwords inside them would show in the process list.
# Each session starts with SQL_LITERAL_MODE, so sql_quote's literals mean what they say.
sql() { printf '%s\n%s\n' "$SQL_LITERAL_MODE" "$1" | "$CLIENT_BIN" --defaults-extra-file="${2:-$RUN_DIR/root.cnf}" -N -B; }

# local_server NAME PASSWORD SERVER_OPTION...: a server only this container reaches (socket
# RUN_DIR/NAME.sock, the options given), and NAME.cnf to log in as root with PASSWORD; it
# returns once the login works. LOCAL_SERVER_PID is the process. Dies with the server's log
# when it exits first.
local_server() {
  local name="$1" password="$2" i; shift 2
  "$SERVER_BIN" "$@" --socket="$RUN_DIR/$name.sock" --pid-file="$RUN_DIR/$name.pid" >"$RUN_DIR/$name-server.log" 2>&1 &
  LOCAL_SERVER_PID=$!
  write_client_cnf "$RUN_DIR/$name.cnf" root "$password" "$RUN_DIR/$name.sock"
  for ((i = 0; i < 480; i++)); do
    sql 'SELECT 1' "$RUN_DIR/$name.cnf" >/dev/null 2>&1 && return 0
    kill -0 "$LOCAL_SERVER_PID" 2>/dev/null || { cat "$RUN_DIR/$name-server.log" >&2; die "the local server $name exited"; }
    sleep 0.25
  done
  die "the local server $name did not answer within 120s"
}

# stop_local_server NAME: shuts it down and removes its client options.
stop_local_server() {
  "$ADMIN_BIN" --defaults-extra-file="$RUN_DIR/$1.cnf" shutdown || die "stopping the local server $1 failed"
  wait "$LOCAL_SERVER_PID" || true
  rm -f "$RUN_DIR/$1.cnf"
}

# replica_status: SHOW REPLICA STATUS as NAME=VALUE lines (empty when not a replica).
replica_status() {
  "$CLIENT_BIN" --defaults-extra-file="$RUN_DIR/root.cnf" -B -e "$SHOW_REPLICA_STATUS" \
    | awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) name[i] = $i; next }
                  NR == 2 { for (i = 1; i <= NF; i++) print name[i] "=" $i }'
}
# status_field STATUS NAME: one field of replica_status output.
status_field() { sed -n "s/^$2=//p" <<<"$1" | head -n1; }

wait_for_server() { # SECONDS
  local i
  for ((i = 0; i < $1 * 2; i++)); do
    "$ADMIN_BIN" --defaults-extra-file="$RUN_DIR/root.cnf" ping >/dev/null 2>&1 && sql 'SELECT 1' >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  return 1
}

# What the collection records about the deployment (ConfigMap <name>-state, optional):
# "initialized" once a verification found it healthy; "recover-from" / "accept-empty" when
# an operator chose how a primary without data and without peers starts (recover.yml).
STATE_DIR=/etc/stateful-mysql-state
state() { [[ -s $STATE_DIR/$1 ]] && cat "$STATE_DIR/$1"; }

# peer_cnf FILE HOST: client options for the replication account's login to a peer's
# server over the network (the account every pod has; reading GTID positions needs no grant).
peer_cnf() {
  local option
  (umask 077 && {
    printf '[client]\nuser=%s\npassword=%s\nhost=%s\nport=%s\nconnect-timeout=3\n' \
      "$REPLICATION_USER" "$(cnf_quote "$(secret replication-password)")" "$2" "$MYSQL_PORT"
    while IFS= read -r option; do [[ -z $option ]] || printf '%s\n' "$option"; done <<<"$PEER_CLIENT_OPTIONS"
  } > "$1.tmp") && mv "$1.tmp" "$1"
}

# peer_gtid HOST: the peer's replica GTID position (empty when it does not answer).
peer_gtid() {
  peer_cnf "$RUN_DIR/peer-$1.cnf" "$1"
  local gtid
  gtid="$(sql "$REPLICA_GTID_QUERY" "$RUN_DIR/peer-$1.cnf" 2>/dev/null)" || return 0
  gtid="${gtid//\\n/}"
  printf '%s' "${gtid//[[:space:]]/}"
}

# upgrade_due: true while the server runs a version its system tables are not upgraded to.
upgrade_due() {
  [[ -n $UPGRADE_NEEDED_COMMAND ]] || return 1
  local command; read -ra command <<<"$(fill "$UPGRADE_NEEDED_COMMAND" cnf="$RUN_DIR/root.cnf")"
  "${command[@]}" >/dev/null 2>&1
}

# own_gtid: this server's replica GTID position on one line.
own_gtid() { local gtid; gtid="$(sql "$REPLICA_GTID_QUERY")"; gtid="${gtid//\\n/}"; printf '%s' "${gtid//[[:space:]]/}"; }

# gtid_covers A B [PEER]: true when GTID position A holds every transaction of B. MySQL asks
# a server (PEER's, else this pod's own); MariaDB positions are compared per domain here.
gtid_covers() {
  local a="$1" b="$2" answer
  if [[ -n $GTID_COVERS_QUERY ]]; then
    answer="$(sql "$(fill "$GTID_COVERS_QUERY" a="$(sql_quote "$a")" b="$(sql_quote "$b")")" \
      "${3:+$RUN_DIR/peer-$3.cnf}")" || return 1
    [[ $answer == 1 ]]
  else
    # A domain listed twice counts its highest sequence number. Sequence numbers compare as
    # decimal text (length, then digits): they run to 2^64-1, past what awk's numbers hold.
    awk -v a="$a" -v b="$b" '
      function less(x, y) { sub(/^0+/, "", x); sub(/^0+/, "", y)
        return length(x) != length(y) ? length(x) < length(y) : (("" x) < ("" y)) }
      BEGIN {
        n = split(a, have, ","); for (i = 1; i <= n; i++) { split(have[i], p, "-")
          if (p[1] != "" && (!(p[1] in seq) || less(seq[p[1]], p[3]))) seq[p[1]] = p[3] }
        m = split(b, want, ","); for (i = 1; i <= m; i++) { split(want[i], q, "-")
          if (q[1] != "" && (!(q[1] in seq) || less(seq[q[1]], q[3]))) exit 1 } }'
  fi
}

# peers: the other ordinals' hosts that resolve (the headless Service publishes pods that are
# not Ready); stops after four names in a row that do not.
peers() {
  local i misses=0 host me; me="$(ordinal)"
  for ((i = 0; i < 64 && misses < 4; i++)); do
    ((i == me)) && continue
    host="$STS_NAME-$i.$SERVICE_NAME"
    if getent hosts "$host" >/dev/null 2>&1; then misses=0; printf '%s\n' "$host"; else misses=$((misses + 1)); fi
  done
}
