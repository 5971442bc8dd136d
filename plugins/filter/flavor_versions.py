# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The server versions the collection supports for a flavor."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: flavor_versions
short_description: The supported versions of a MySQL or MariaDB flavor
version_added: 0.1.0
description:
  - Lists the major.minor versions the collection supports for a flavor, for validating
    input and for error messages.
options:
  _input:
    description: The flavor, C(mysql) or C(mariadb).
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Fail on an unsupported version
  ansible.builtin.assert:
    that: my_version in ('mariadb' | stateful.mysql.flavor_versions)
"""

RETURN = r"""
_value:
  description: The supported versions, sorted.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError
from ansible_collections.stateful.mysql.plugins.module_utils import flavors


def flavor_versions(flavor):
    try:
        return flavors.versions(flavor)
    except flavors.FlavorError as exc:
        raise AnsibleFilterError(str(exc))


class FilterModule(object):
    def filters(self):
        return {"flavor_versions": flavor_versions}
