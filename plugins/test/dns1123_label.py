# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Jinja test: is a string a Kubernetes DNS-1123 label."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: dns1123_label
short_description: Is a value a DNS-1123 label
version_added: 0.1.0
description:
  - True when the value is a DNS-1123 label, as Kubernetes requires for namespaces, Services
    and StatefulSets whose pods need DNS names. lower-case alphanumerics and C(-), starting
    and ending with an alphanumeric, at most O(max_length) characters.
options:
  _input:
    description: The value to test.
    type: raw
    required: true
  max_length:
    description: The longest accepted label.
    type: int
    default: 63
"""

EXAMPLES = r"""
- name: StatefulSet names must leave room for the ordinal and the revision label
  ansible.builtin.assert:
    that: name is stateful.mysql.dns1123_label(52)
"""

RETURN = r"""
_value:
  description: Whether the value is a DNS-1123 label.
  type: bool
"""

import re

from ansible.module_utils.six import string_types

_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")


def dns1123_label(value, max_length=63):
    return isinstance(value, string_types) and 0 < len(value) <= max_length and bool(_LABEL.fullmatch(value))


class TestModule(object):
    def tests(self):
        return {"dns1123_label": dns1123_label}
