# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How much of a pod's data volume its binary logs take: a full volume stops the server,
and the binary logs are what grows without bound when nothing expires them. Pure functions
of SHOW BINARY LOGS (the statement is the flavor's ``show_binary_logs``).

This warns, it does not fail: the logs expire by themselves (the mysql_config role's
``mysql_config_binlog_expire_seconds``), and a burst of writes may pass.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def statements(deployment):
    return [deployment["profile"]["show_binary_logs"]]


def binlog_bytes(result):
    """The sum of File_size over SHOW BINARY LOGS, or None when it failed or is unreadable."""
    if result is None or not result.ok:
        return None
    try:
        return sum(int(row.get("File_size") or 0) for row in result.dicts())
    except (TypeError, ValueError):
        return None


def _mib(size):
    return "%.1f MiB" % (size / 1048576.0)


def warning(pod, used, volume, percent):
    """A warning when ``used`` bytes of binary logs exceed ``percent`` of ``volume`` bytes
    (None: nothing to say, or nothing known; percent 0 turns the check off)."""
    if not percent or used is None or not volume:
        return None
    share = 100.0 * used / volume
    if share <= percent:
        return None
    return ("%s: binary logs take %s, %.0f%% of its %s data volume (more than binlog_space_percent=%d%%): "
            "a full volume stops the server; lower mysql_config_binlog_expire_seconds or grow the volume"
            % (pod, _mib(used), share, _mib(volume), percent))
