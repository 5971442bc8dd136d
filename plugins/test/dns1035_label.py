# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Jinja test: is a string a Kubernetes DNS-1035 label (what Service names must be)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: dns1035_label
short_description: Is a value a DNS-1035 label
version_added: 0.2.0
description:
  - True when the value is a DNS-1035 label, as Kubernetes requires for Service names -
    lower-case letters, digits and C(-), starting with a letter and ending with a letter or
    digit, at most O(max_length) characters. A deployment's name is also the name of its
    Services, so it must be one.
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
- name: The StatefulSet's name is also its headless Service's
  ansible.builtin.assert:
    that: name is stateful.mysql.dns1035_label(52)
"""

RETURN = r"""
_value:
  description: Whether the value is a DNS-1035 label.
  type: bool
"""

import re

from ansible.module_utils.six import string_types

_LABEL = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")


def dns1035_label(value, max_length=63):
    return isinstance(value, string_types) and 0 < len(value) <= max_length and bool(_LABEL.fullmatch(value))


class TestModule(object):
    def tests(self):
        return {"dns1035_label": dns1035_label}
