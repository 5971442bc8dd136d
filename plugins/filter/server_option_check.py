# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which of the user's extra server options are unsafe to write into the option file, and
how the server reads an option's name (mysql_config's option checks)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: server_option_check
short_description: Sort a dict of server options by what is wrong with them
version_added: 0.2.0
description:
  - Judges extra server options (name to value) before they are written as C(name = value)
    lines into an option file.
  - Names are read as the server reads them. Case is ignored, C(-) and C(_) are the same, a
    C(loose-) and then a C(maximum-) prefix are dropped, and C(skip-), C(disable-) or
    C(enable-) switch the option named after the prefix. An option matches a list when its
    name without C(loose-)/C(maximum-) (for example C(skip_name_resolve)) or also without
    the switch prefix (C(name_resolve)) is in it. So C(grant_tables) in a list catches
    C(skip-grant-tables), C(disable_grant_tables), C(LOOSE-SKIP-GRANT-TABLES) and
    C(grant-tables).
options:
  _input:
    description: The server options, name to value.
    type: dict
    required: true
  managed:
    description: Options the caller sets itself, in the server's spelling (lower case, C(_)).
    type: list
    elements: str
    default: []
  denied:
    description: Options refused because of what they do, in the server's spelling.
    type: list
    elements: str
    default: []
  rejected:
    description: Options the server version refuses, server spelling to the reason.
    type: dict
    default: {}
"""

EXAMPLES = r"""
- name: Refuse unsafe server options
  ansible.builtin.assert:
    that: problems.bad_names + problems.bad_values + problems.managed + problems.denied == []
  vars:
    problems: "{{ extra | stateful.mysql.server_option_check(managed=['server_id'], denied=['grant_tables']) }}"
"""

RETURN = r"""
_value:
  description: The input's names, sorted by problem (each list in the input's order).
  type: dict
  contains:
    bad_names:
      description: >-
        Names that are not a lower-case letter followed by lower-case letters, digits, C(-)
        or C(_). Anything else (C(=), C([), C(]), C(#), C(;), quotes, spaces, line breaks)
        could start another option, group or comment in the file.
      type: list
      elements: str
    bad_values:
      description: Names whose value holds a line feed or carriage return (it would end the line early).
      type: list
      elements: str
    managed:
      description: Names that set an option in O(managed).
      type: list
      elements: str
    denied:
      description: Names that set an option in O(denied).
      type: list
      elements: str
    rejected:
      description: Pairs of a name and the O(rejected) option it sets.
      type: list
      elements: list
"""

import re

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.six import string_types

_PLAIN_NAME = re.compile(r"[a-z][a-z0-9_-]*")
_SWITCH_PREFIXES = ("skip_", "disable_", "enable_")


def spellings(name):
    """What the server may resolve ``name`` to: the option itself (skip_name_resolve) and,
    after a switch prefix, the option it switches (name_resolve)."""
    text = to_text(name).lower().replace("-", "_")
    for prefix in ("loose_", "maximum_"):
        if text.startswith(prefix):
            text = text[len(prefix):]
    found = [text]
    found.extend(text[len(prefix):] for prefix in _SWITCH_PREFIXES if text.startswith(prefix))
    return found


def _matching(options, names):
    names = set(names)
    return [key for key in options if names.intersection(spellings(key))]


def server_option_check(options, managed=(), denied=(), rejected=None):
    if not isinstance(options, dict):
        raise AnsibleFilterError("server options must be a dict of name to value, got %s" % type(options).__name__)
    rejected = rejected or {}
    return {
        "bad_names": [key for key in options if not (isinstance(key, string_types) and _PLAIN_NAME.fullmatch(key))],
        "bad_values": [key for key, value in options.items()
                       if "\n" in to_text(value) or "\r" in to_text(value)],
        "managed": _matching(options, managed),
        "denied": _matching(options, denied),
        "rejected": [[key, found[0]] for key, found in
                     ((key, [name for name in spellings(key) if name in rejected]) for key in options) if found],
    }


class FilterModule(object):
    def filters(self):
        return {"server_option_check": server_option_check}
