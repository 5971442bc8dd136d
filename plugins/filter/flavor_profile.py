# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that hand the flavor profiles of module_utils/flavors.py to roles and templates."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: flavor_profile
short_description: What a MySQL or MariaDB flavor and version need
version_added: 0.1.0
description:
  - Returns the profile of a flavor and version, that is its default images, binaries, SQL
    statements for replication, server options and the replica status column names.
  - The one place the collection's roles learn how MySQL and MariaDB differ.
options:
  _input:
    description: The flavor, C(mysql) or C(mariadb).
    type: str
    required: true
  version:
    description: The server version (major.minor). Empty means the flavor's default.
    type: str
    default: ""
"""

EXAMPLES = r"""
- name: Default image of MariaDB 10.11
  ansible.builtin.debug:
    msg: "{{ ('mariadb' | stateful.mysql.flavor_profile('10.11')).image }}"
"""

RETURN = r"""
_value:
  description:
    - The profile (image, server_bin, client_bin, SQL templates, ...), with
      C(columns) mapping flavor-neutral names to the flavor's replica status columns.
  type: dict
"""

from ansible.errors import AnsibleFilterError
from ansible_collections.stateful.mysql.plugins.module_utils import flavors


def flavor_profile(flavor, version=""):
    try:
        return flavors.profile(flavor, version or None)
    except flavors.FlavorError as exc:
        raise AnsibleFilterError(str(exc))


class FilterModule(object):
    def filters(self):
        return {"flavor_profile": flavor_profile}
