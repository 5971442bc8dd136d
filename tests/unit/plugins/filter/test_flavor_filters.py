# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The filters that hand module_utils/flavors.py to the roles."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.stateful.mysql.plugins.filter import flavor_profile, flavor_versions


def test_profiles_by_flavor_and_version():
    profile = flavor_profile.FilterModule().filters()["flavor_profile"]
    assert profile("mysql")["version"] == "9.7"
    assert profile("mysql", "8.4")["image"] == "docker.io/library/mysql:8.4.7"
    assert profile("mariadb", "")["version"] == "10.11"
    assert profile("mariadb", "11.8")["backup_file_prefixes"][0] == "mariadb_backup"
    with pytest.raises(AnsibleFilterError, match="unknown mysql version '8.0'; choose one of: 8.4, 9.7"):
        profile("mysql", "8.0")
    with pytest.raises(AnsibleFilterError, match="unknown flavor 'postgres'"):
        profile("postgres")


def test_versions():
    versions = flavor_versions.FilterModule().filters()["flavor_versions"]
    assert versions("mysql") == ["8.4", "9.7"]
    assert versions("mariadb") == ["10.11", "11.4", "11.8"]
    with pytest.raises(AnsibleFilterError):
        versions("oracle")
