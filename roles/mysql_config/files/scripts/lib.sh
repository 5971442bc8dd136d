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

secret() {
  local file="$SECRET_DIR/$1"
  [[ -s $file ]] || die "the Secret has no value for key '$1'"
  cat "$file"
}

# SQL string literal: backslashes and quotes escaped, wrapped in single quotes.
sql_quote() { local s="${1//\\/\\\\}"; s="${s//\'/\\\'}"; printf "'%s'" "$s"; }
# Option-file value: double-quoted with backslashes and double quotes escaped.
cnf_quote() { local s="${1//\\/\\\\}"; s="${s//\"/\\\"}"; printf '"%s"' "$s"; }

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
sql() { printf '%s\n' "$1" | "$CLIENT_BIN" --defaults-extra-file="${2:-$RUN_DIR/root.cnf}" -N -B; }

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
