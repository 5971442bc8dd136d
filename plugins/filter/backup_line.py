# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One line per backup, for the listing's summary."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: backup_line
short_description: One line describing a backup (a manifest) or an incomplete one
version_added: 0.2.0
description:
  - Turns an element of M(stateful.mysql.backup_info)'s C(backups) (a manifest) or
    C(incomplete) (id and reason) into one line for a person to read.
options:
  _input:
    description: A manifest, or a dict with C(id) and C(reason).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Show the backups
  ansible.builtin.debug:
    msg: "{{ found.backups | map('stateful.mysql.backup_line') | list }}"
"""

RETURN = r"""
_value:
  description: The line.
  type: str
  sample: "20261201T233317Z-460f27  96.5 MiB  mysql 9.7.4-2  from mysql-2 (replica)  GTID 8d15...:1-17  2026-12-01T23:33:17Z, 11.7 s"
"""

from ansible.errors import AnsibleFilterError


def size_text(size):
    value = float(size or 0)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return ("%d %s" % (value, unit)) if unit == "B" else ("%.1f %s" % (value, unit))
        value /= 1024.0
    return "%.1f TiB" % value


def backup_line(backup):
    if not isinstance(backup, dict) or not backup.get("id"):
        raise AnsibleFilterError("backup_line needs a manifest or an incomplete entry, got %r" % (backup,))
    if "reason" in backup:
        return "%s  NOT USABLE: %s" % (backup["id"], backup["reason"])
    return "%s  %s  %s %s  from %s (%s)  GTID %s  %s, %s s" % (
        backup["id"], size_text(backup.get("size")), backup.get("flavor"), backup.get("server_version"),
        backup.get("source_pod"), backup.get("source_role"), backup.get("gtid") or "(none)",
        backup.get("started"), backup.get("seconds"))


class FilterModule(object):
    def filters(self):
        return {"backup_line": backup_line}
