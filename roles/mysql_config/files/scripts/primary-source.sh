# shellcheck shell=bash
# Sourced by init-datadir.sh on ordinal 0 without a datadir: where its data comes from.
# choose_source prints "empty", "donor <host>" or "restore <backup id>", or fails with the
# reason and the way out.

# Seconds a peer whose name resolves gets to answer (its server may be restarting).
PEER_WAIT_SECONDS=60

recover_hint() {
  printf 'recover with: ansible-playbook stateful.mysql.recover -e stateful_mysql_namespace=<namespace> -e stateful_mysql_recover_from=<pod whose volume to start from> (or -e stateful_mysql_recover_empty=true to accept an empty primary)'
}

# answering_peers: "host gtid" for every peer that answers within PEER_WAIT_SECONDS.
answering_peers() {
  local host gtid deadline
  for host in $(peers) ${1:+"$1"}; do
    deadline=$((SECONDS + PEER_WAIT_SECONDS))
    gtid=""
    until [[ -n $gtid ]] || ((SECONDS >= deadline)); do
      gtid="$(peer_gtid "$host")"
      [[ -n $gtid ]] || sleep 2
    done
    if [[ -n $gtid ]]; then printf '%s %s\n' "$host" "$gtid"; else log "peer $host resolves but does not answer"; fi
  done
}

# most_advanced HOST... (with GTID[host] set): the peer whose position covers every
# other's, or nothing when histories diverged.
most_advanced() {
  local candidate other ok
  for candidate in "$@"; do
    ok=1
    for other in "$@"; do
      [[ $other == "$candidate" ]] && continue
      gtid_covers "${GTID[$candidate]}" "${GTID[$other]}" "$candidate" || { ok=0; break; }
    done
    ((ok)) && { printf '%s' "$candidate"; return 0; }
  done
}

choose_source() {
  local recover_from accept_empty initialized restore_from host gtid donor
  recover_from="$(state recover-from || true)"
  restore_from="$(state restore-from || true)"
  accept_empty="$(state accept-empty || true)"
  initialized="$(state initialized || true)"
  declare -gA GTID=()
  local hosts=()
  while read -r host gtid; do
    [[ -n $host ]] || continue
    GTID[$host]="$gtid"; hosts+=("$host")
    log "peer $host holds ${gtid:-(no transactions)}"
  done < <(answering_peers "$recover_from")
  if ((${#hosts[@]} == 0)); then
    # site.yml created this deployment to restore a backup; once verified, never again.
    if [[ -n $restore_from && -z $initialized ]]; then
      log "no datadir and no peer: restoring backup $restore_from, as site.yml asked (restore-from)"
      printf 'restore %s' "$restore_from"; return 0
    fi
    if [[ $accept_empty == true ]]; then
      log "no peer answered; starting empty, as the operator chose (accept-empty)"
      printf 'empty'; return 0
    fi
    if [[ -n $initialized ]]; then
      log "ERROR: no datadir, no replica answered, and this StatefulSet was verified healthy on $initialized: an empty primary would serve a history the replicas' volumes lack; $(recover_hint)"
      return 1
    fi
    log "no datadir and no peer: a new deployment"
    printf 'empty'; return 0
  fi
  if [[ $REPLICATION_MODE != gtid ]]; then
    log "ERROR: the primary's datadir is gone while ${hosts[*]} hold data; in position mode their positions name the lost primary's binary logs, so it cannot be rebuilt from them; $(recover_hint)"
    return 1
  fi
  donor="$(most_advanced "${hosts[@]}")"
  if [[ -z $donor ]]; then
    log "ERROR: the replicas' histories diverged (no peer holds every transaction the others hold): $(for host in "${hosts[@]}"; do printf '%s=%s ' "$host" "${GTID[$host]}"; done); $(recover_hint)"
    return 1
  fi
  log "the primary's datadir is gone; rebuilding it from $donor, which holds every transaction any replica holds"
  printf 'donor %s' "$donor"
}
