# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one table of flavor differences."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.mysql.plugins.module_utils import flavors


def test_defaults_and_versions():
    assert flavors.DEFAULT_FLAVOR == "mysql"
    assert flavors.profile("mysql")["version"] == "9.7"
    assert flavors.profile("mariadb")["version"] == "10.11"
    assert flavors.versions("mysql") == ["8.4", "9.7"]
    # MySQL 8.0 is end of life (April 2026) and gone.
    with pytest.raises(flavors.FlavorError):
        flavors.profile("mysql", "8.0")


@pytest.mark.parametrize("flavor, version", [(f, v) for f in flavors.flavors() for v in flavors.versions(f)])
def test_every_profile_is_complete(flavor, version):
    profile = flavors.profile(flavor, version)
    mysql_keys = set(flavors.profile("mysql"))
    assert set(profile) == mysql_keys
    assert profile["image"].startswith("docker.io/library/%s:%s." % (flavor, version))
    assert profile["clone_method"] in ("plugin", "stream")
    # The scripts and modules need these for every flavor.
    for key in ("server_bin", "client_bin", "admin_bin", "init_datadir", "show_replica_status",
                "change_source_gtid", "change_source_position", "skip_replica_start_option"):
        assert profile[key], key


def test_the_clone_methods():
    mysql, mariadb = flavors.profile("mysql"), flavors.profile("mariadb")
    assert mysql["clone_method"] == "plugin" and "REQUIRE SSL" in mysql["clone_statement"]
    assert "BACKUP_ADMIN" in mysql["backup_grants"][0] and mysql["backup_account_host"] == "%"
    assert "SOURCE_SSL=1" in mysql["change_source_gtid"] and mysql["set_gtid_from_clone"] == ""
    assert mariadb["clone_method"] == "stream" and mariadb["backup_bin"] == "mariadb-backup"
    assert mariadb["backup_account_host"] == "localhost"


def test_rejected_options_are_per_version():
    assert "innodb_log_file_size" in flavors.profile("mysql", "9.7")["rejected_options"]
    assert "innodb_log_file_size" not in flavors.profile("mysql", "8.4")["rejected_options"]
    assert flavors.profile("mariadb")["rejected_options"] == {}


def test_profiles_are_copies():
    first = flavors.profile("mysql")
    first["extra_server_options"].append("changed")
    assert "changed" not in flavors.profile("mysql")["extra_server_options"]


def test_status_columns():
    assert flavors.status_column("mysql", "io_running") == "Replica_IO_Running"
    assert flavors.status_column("mariadb", "io_running") == "Slave_IO_Running"
    assert flavors.normalize_status({"Slave_SQL_Running": "Yes", "Other": "x"}, "mariadb") == {"sql_running": "Yes"}
    with pytest.raises(KeyError):
        flavors.status_column("mysql", "nothing")
