# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Jinja test: is a value a Kubernetes resource quantity."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: k8s_quantity
short_description: Is a value a Kubernetes resource quantity
version_added: 0.1.0
description:
  - True for quantities such as C(10Gi), C(512Mi), C(250m), C(1.5) or C(1e3), that is a
    non-negative number with an optional binary (Ki, Mi, Gi, Ti, Pi, Ei), decimal (m, k, M,
    G, T, P, E) or exponent suffix.
options:
  _input:
    description: The value to test.
    type: raw
    required: true
"""

EXAMPLES = r"""
- name: Storage sizes must be quantities
  ansible.builtin.assert:
    that: size is stateful.mysql.k8s_quantity
"""

RETURN = r"""
_value:
  description: Whether the value is a quantity.
  type: bool
"""

import re

from ansible.module_utils.six import string_types

_QUANTITY = re.compile(r"\+?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?")


def k8s_quantity(value):
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return value >= 0
    return isinstance(value, string_types) and bool(_QUANTITY.fullmatch(value))


class TestModule(object):
    def tests(self):
        return {"k8s_quantity": k8s_quantity}
