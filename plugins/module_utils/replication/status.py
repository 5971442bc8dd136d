# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The client's batch output, SHOW REPLICA STATUS rows and the health of one replica.

Column names differ by flavor (``Slave_IO_Running`` vs ``Replica_IO_Running``...);
:func:`flavors.normalize_status` maps them to neutral names, and everything here after
that works on the neutral names only.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.stateful.mysql.plugins.module_utils import flavors

_ESCAPES = {"t": "\t", "n": "\n", "\\": "\\", "0": "\x00"}


def unescape(value):
    """Undoes the client's batch escaping (\\t \\n \\\\ \\0); the text NULL is None."""
    if value == "NULL":
        return None
    if "\\" not in value:
        return value
    out = []
    index = 0
    while index < len(value):
        char = value[index]
        if char == "\\" and index + 1 < len(value):
            nxt = value[index + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                index += 2
                continue
        out.append(char)
        index += 1
    return "".join(out)


def parse_batch(text):
    """Parses ``mysql --batch`` output (a header line, then tab-separated rows).

    Returns ``(columns, rows)``; rows are lists of str or None (SQL NULL). An empty result
    set prints nothing at all and gives ``([], [])``. The client escapes values only:
    column names are printed (and returned) as they are.
    """
    if not text:
        return [], []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        return [], []
    columns = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        fields = line.split("\t")
        if len(fields) != len(columns):
            raise ValueError("batch output row has %d fields, header has %d: %r" % (len(fields), len(columns), line[:200]))
        rows.append([unescape(field) for field in fields])
    return columns, rows


def parse_batch_dicts(text):
    columns, rows = parse_batch(text)
    return [dict(zip(columns, row)) for row in rows]


def normalize(row, flavor):
    """One SHOW REPLICA STATUS row (column -> value) with the flavor-neutral names."""
    return flavors.normalize_status(row, flavor)


def replica_status(text, flavor):
    """The normalized first row of SHOW REPLICA STATUS output, or None when it is empty."""
    rows = parse_batch_dicts(text)
    if not rows:
        return None
    return normalize(rows[0], flavor)


def _int(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def source_matches(source_host, primary_pod, service):
    """True when ``source_host`` names the primary: first DNS label ``primary_pod`` and
    second label ``service`` (``mysql-0.mysql`` or ``mysql-0.mysql.ns.svc.cluster.local``)."""
    if not source_host:
        return False
    labels = source_host.strip().rstrip(".").lower().split(".")
    return len(labels) >= 2 and labels[0] == primary_pod.lower() and labels[1] == service.lower()


def summarize(status):
    """Typed facts of a normalized status row (None when there is no row)."""
    if status is None:
        return None
    return {
        "io_running": status.get("io_running") == "Yes",
        "io_state": status.get("io_running"),
        "sql_running": status.get("sql_running") == "Yes",
        "sql_state": status.get("sql_running"),
        "last_io_errno": _int(status.get("last_io_errno")) or 0,
        "last_io_error": status.get("last_io_error") or "",
        "last_sql_errno": _int(status.get("last_sql_errno")) or 0,
        "last_sql_error": status.get("last_sql_error") or "",
        "seconds_behind": _int(status.get("seconds_behind")),
        "source_host": status.get("source_host"),
        "source_port": _int(status.get("source_port")),
        "exec_source_log_file": status.get("exec_source_log_file"),
        "exec_source_log_pos": _int(status.get("exec_source_log_pos")),
    }


def threads_stopped(status):
    """True when the replica cannot make progress by itself (no row, or a thread is off)."""
    if status is None:
        return True
    return status.get("io_running") == "No" or status.get("sql_running") != "Yes"


def replica_problems(status, primary_pod, service, port=3306, max_lag=30):
    """What is wrong with a replica from its SHOW REPLICA STATUS row alone (a list of str).

    ``status`` is a normalized row (see :func:`normalize`) or None when the server is not
    configured as a replica.
    """
    if status is None:
        return ["not configured as a replica (SHOW REPLICA STATUS returned no row)"]
    facts = summarize(status)
    problems = []
    if not facts["io_running"]:
        problems.append("IO thread not running (state: %s)" % facts["io_state"])
    if not facts["sql_running"]:
        problems.append("SQL thread not running (state: %s)" % facts["sql_state"])
    if facts["last_io_errno"]:
        problems.append("IO error %d: %s" % (facts["last_io_errno"], facts["last_io_error"]))
    if facts["last_sql_errno"]:
        problems.append("SQL error %d: %s" % (facts["last_sql_errno"], facts["last_sql_error"]))
    lag = facts["seconds_behind"]
    if lag is None:
        problems.append("replication lag unknown (seconds behind the source is NULL)")
    elif lag > max_lag:
        problems.append("replication lag %ds exceeds max_lag %ds" % (lag, max_lag))
    expected = "%s.%s" % (primary_pod, service)
    if not source_matches(facts["source_host"], primary_pod, service):
        problems.append("source host %r is not the primary %s" % (facts["source_host"], expected))
    if facts["source_port"] != port:
        problems.append("source port %s is not %d" % (facts["source_port"], port))
    return problems
