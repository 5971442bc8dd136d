# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Has a replica applied everything its primary had? GTIDs and binlog coordinates.

Two GTID notations, named by a flavor's ``gtid_set_kind``:

* ``mariadb``: a GTID position ``D-S-N,...`` (domain, server id, sequence number), one
  entry per domain. A replica has caught up when, for every domain of the primary's
  ``gtid_binlog_pos``, its ``gtid_slave_pos`` holds a sequence number at least as high.
  Server ids do not matter: sequence numbers grow per domain.
* ``mysql``: a GTID set ``uuid:1-5:7,uuid2:1-3`` (with 8.4 tags: ``uuid:tag:1-3``). A
  replica has caught up when the primary's ``gtid_executed`` is a subset of its own.

Errant transactions are the other direction: what a replica holds that the primary lacks
(a write made on the replica itself). MySQL: the replica's ``gtid_executed`` minus the
primary's. MariaDB: sequence numbers only grow per domain, so per (domain, server id) the
primary's ``gtid_binlog_state`` holds the last GTID it has from that server; a replica GTID
from a server the primary has nothing from, or past the primary's last one from it, is
errant. The primary's state must be read *after* the replica's, else the primary's newest
commits already on the replica would look errant.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.stateful.mysql.plugins.module_utils.replication.errors import ReplicationError


class GtidError(ReplicationError, ValueError):
    """Text that is not a GTID position, GTID set or binlog file name."""


# --- MariaDB GTID positions ------------------------------------------------------------

_MARIADB_GTID = re.compile(r"^(\d+)-(\d+)-(\d+)$")


def parse_mariadb_position(text):
    """``"0-100-5,1-100-2"`` -> ``{0: 5, 1: 2}`` (the highest sequence number per domain)."""
    position = {}
    for item in (text or "").replace("\n", ",").split(","):
        item = item.strip()
        if not item:
            continue
        match = _MARIADB_GTID.match(item)
        if not match:
            raise GtidError("not a MariaDB GTID: %r" % item)
        domain, seq = int(match.group(1)), int(match.group(3))
        if domain > 0xFFFFFFFF or int(match.group(2)) > 0xFFFFFFFF:
            raise GtidError("domain or server id out of range in MariaDB GTID %r" % item)
        position[domain] = max(seq, position.get(domain, 0))
    return position


def mariadb_behind(primary_text, replica_text):
    """Domains where the replica is behind: a list of (domain, primary_seq, replica_seq or None)."""
    primary = parse_mariadb_position(primary_text)
    replica = parse_mariadb_position(replica_text)
    behind = []
    for domain in sorted(primary):
        have = replica.get(domain)
        if have is None or have < primary[domain]:
            behind.append((domain, primary[domain], have))
    return behind


def mariadb_reached(primary_text, replica_text):
    return not mariadb_behind(primary_text, replica_text)


def parse_mariadb_state(text):
    """``"0-100-5,0-101-2"`` -> ``{(0, 100): 5, (0, 101): 2}``: the highest sequence number
    per (domain, server id), as ``gtid_binlog_state`` lists them."""
    state = {}
    for item in (text or "").replace("\n", ",").split(","):
        item = item.strip()
        if not item:
            continue
        match = _MARIADB_GTID.match(item)
        if not match:
            raise GtidError("not a MariaDB GTID: %r" % item)
        domain, server, seq = (int(group) for group in match.groups())
        if domain > 0xFFFFFFFF or server > 0xFFFFFFFF:
            raise GtidError("domain or server id out of range in MariaDB GTID %r" % item)
        state[(domain, server)] = max(seq, state.get((domain, server), 0))
    return state


def mariadb_errant(primary_state_text, replica_text):
    """The replica's GTIDs the primary lacks, as ``D-S-N`` texts sorted by (domain, server id).

    ``primary_state_text`` is the primary's ``gtid_binlog_state``; ``replica_text`` any of the
    replica's positions or states (its ``gtid_binlog_state`` and ``gtid_slave_pos`` joined by
    a comma)."""
    primary = parse_mariadb_state(primary_state_text)
    errant = []
    for (domain, server), seq in sorted(parse_mariadb_state(replica_text).items()):
        have = primary.get((domain, server))
        if have is None or seq > have:
            errant.append("%d-%d-%d" % (domain, server, seq))
    return errant


# --- MySQL GTID sets -------------------------------------------------------------------

_UUID = re.compile(r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$")
_TAG = re.compile(r"^[a-z_][a-z0-9_]{0,31}$")
_INTERVAL = re.compile(r"^(\d+)(?:-(\d+))?$")


def _merge(intervals):
    merged = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1] + 1:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _canonical_uuid(text):
    text = text.strip().lower()
    if not _UUID.match(text):
        raise GtidError("not a server UUID: %r" % text)
    text = text.replace("-", "")
    return "%s-%s-%s-%s-%s" % (text[:8], text[8:12], text[12:16], text[16:20], text[20:])


def parse_mysql_set(text):
    """``"uuid:1-5:7,uuid2:tag:1-3"`` -> ``{(uuid, ""): [(1, 5), (7, 7)], (uuid2, "tag"): [(1, 3)]}``.

    UUIDs and tags are lower-cased, intervals sorted and merged; whitespace and the
    newlines the server puts after commas are ignored. Empty text is the empty set.
    """
    gtids = {}
    for member in re.sub(r"\s+", "", text or "").split(","):
        if not member:
            continue
        parts = member.split(":")
        uuid = _canonical_uuid(parts[0])
        tag = ""
        seen_interval = False
        for part in parts[1:]:
            part = part.lower()
            match = _INTERVAL.match(part)
            if match:
                start = int(match.group(1))
                end = int(match.group(2)) if match.group(2) is not None else start
                if start < 1 or end < start:
                    raise GtidError("bad GTID interval %r in %r" % (part, member))
                gtids.setdefault((uuid, tag), []).append((start, end))
                seen_interval = True
            elif _TAG.match(part):
                tag = part
                seen_interval = False
            else:
                raise GtidError("bad GTID set member %r" % member)
        if not seen_interval:
            raise GtidError("GTID set member without an interval: %r" % member)
    return dict((key, _merge(value)) for key, value in gtids.items())


def _subtract(intervals, minus):
    """Intervals of ``intervals`` not covered by ``minus`` (both merged and sorted)."""
    out = []
    for start, end in intervals:
        current = start
        for m_start, m_end in minus:
            if m_end < current or m_start > end:
                continue
            if m_start > current:
                out.append((current, m_start - 1))
            current = max(current, m_end + 1)
            if current > end:
                break
        if current <= end:
            out.append((current, end))
    return out


def mysql_missing(primary_text, replica_text):
    """The part of the primary's GTID set the replica lacks, as a parsed set (may be {})."""
    primary = parse_mysql_set(primary_text)
    replica = parse_mysql_set(replica_text)
    missing = {}
    for key, intervals in primary.items():
        rest = _subtract(intervals, replica.get(key, []))
        if rest:
            missing[key] = rest
    return missing


def mysql_is_subset(subset_text, superset_text):
    return not mysql_missing(subset_text, superset_text)


def format_mysql_set(gtids):
    members = []
    for (uuid, tag), intervals in sorted(gtids.items()):
        text = ":".join("%d" % s if s == e else "%d-%d" % (s, e) for s, e in intervals)
        members.append("%s%s:%s" % (uuid, ":" + tag if tag else "", text))
    return ",".join(members)


# --- binlog coordinates ----------------------------------------------------------------

_BINLOG = re.compile(r"^(.*)\.(\d+)$")


def parse_binlog_file(name):
    """``"mysql-bin.000012"`` -> ``("mysql-bin", 12)``."""
    match = _BINLOG.match((name or "").strip())
    if not match:
        raise GtidError("not a binlog file name: %r" % name)
    return match.group(1), int(match.group(2))


def position_reached(primary_file, primary_pos, replica_file, replica_pos):
    """True when the replica's executed coordinates are at or past the primary's."""
    p_base, p_index = parse_binlog_file(primary_file)
    r_base, r_index = parse_binlog_file(replica_file)
    if p_base != r_base:
        raise GtidError("binlog %r on the primary and %r executed by the replica belong to different logs"
                        % (primary_file, replica_file))
    return (r_index, int(replica_pos)) >= (p_index, int(primary_pos))


def mysql_errant(primary_text, replica_text):
    """The replica's transactions the primary lacks (GTID_SUBTRACT(replica, primary)), parsed."""
    # mysql_missing(a, b) is "a minus b": here the replica plays a.
    source, lacking = replica_text, primary_text
    return mysql_missing(source, lacking)


# --- one entry point per gtid_set_kind -------------------------------------------------

def gtid_reached(kind, primary_text, replica_text):
    """(caught_up, detail): has the replica applied the primary's GTIDs? ``kind`` is a
    flavor's ``gtid_set_kind``; ``detail`` says what is missing ("" when caught up)."""
    if kind == "mariadb":
        behind = mariadb_behind(primary_text, replica_text)
        detail = ", ".join(
            "domain %d at %s, primary at %d" % (domain, "nothing" if have is None else have, want)
            for domain, want, have in behind
        )
        return not behind, detail
    if kind == "mysql":
        missing = mysql_missing(primary_text, replica_text)
        return not missing, ("missing %s" % format_mysql_set(missing)) if missing else ""
    raise GtidError("unknown GTID kind %r" % kind)


def errant(kind, primary_text, replica_text):
    """The replica's transactions the primary lacks, as text ("" when none): a GTID set
    (``mysql``) or a list of GTIDs (``mariadb``). ``primary_text`` must have been read after
    ``replica_text`` (see the module's docstring)."""
    if kind == "mariadb":
        return ",".join(mariadb_errant(primary_text, replica_text))
    if kind == "mysql":
        return format_mysql_set(mysql_errant(primary_text, replica_text))
    raise GtidError("unknown GTID kind %r" % kind)
