# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""server_option_check: mysql_config's judgement of the user's extra server options."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.stateful.mysql.plugins.filter import server_option_check as plugin

check = plugin.FilterModule().filters()["server_option_check"]
MANAGED = ["server_id", "skip_name_resolve", "name_resolve", "log_bin"]
DENIED = ["grant_tables", "init_file", "slave_skip_errors", "replica_skip_errors"]


def problems(options, **kwargs):
    kwargs.setdefault("managed", MANAGED)
    kwargs.setdefault("denied", DENIED)
    return check(options, **kwargs)


@pytest.mark.parametrize("name", [
    "skip-grant-tables", "skip_grant_tables", "SKIP-GRANT-TABLES", "loose-skip-grant-tables",
    "disable-grant-tables", "enable_grant_tables", "grant-tables", "Loose_Skip-Grant_Tables",
    "maximum-init-file", "init_file", "slave-skip-errors", "loose_replica_skip_errors",
])
def test_denied_however_spelled(name):
    assert problems({name: "all"})["denied"] == [name]


@pytest.mark.parametrize("name", [
    "server-id", "SERVER_ID", "loose-server-id", "maximum-server_id", "skip-name-resolve", "name-resolve",
    "enable-name-resolve", "disable_log_bin", "skip-log-bin", "Log-Bin",
])
def test_managed_however_spelled(name):
    assert problems({name: 1})["managed"] == [name]


@pytest.mark.parametrize("name", [
    "innodb_buffer_pool_size", "max-connections", "skip-external-locking", "log_error_verbosity",
    "initialize_something_else", "grant_tables_extra", "slave_skip_errors_log",
])
def test_ordinary_options_pass(name):
    assert problems({name: "1"}) == {"bad_names": [], "bad_values": [], "managed": [], "denied": [], "rejected": []}


@pytest.mark.parametrize("name", [
    "max_connections\n", "a\nb", "x=1", "[client]", "a]", "a#b", "a;b", "a b", "a'b", '"a"', "Max_Connections",
    "1abc", "-abc", "", "a\rb", u"pässwörd", 7,
])
def test_names_that_could_inject_lines(name):
    assert problems({name: "1"})["bad_names"] == [name]


@pytest.mark.parametrize("value", ["1\n[client]\nuser=root", "a\rb", "ends\n"])
def test_values_must_be_one_line(value):
    assert problems({"init_connect": value})["bad_values"] == ["init_connect"]


@pytest.mark.parametrize("value", ["256M", 3, True, "SET NAMES utf8mb4", "a = b # c"])
def test_one_line_values_pass(value):
    assert problems({"init_connect": value})["bad_values"] == []


def test_rejected_pairs_name_and_option():
    rejected = {"innodb_log_file_size": "removed", "query_cache_size": "removed"}
    found = problems({"innodb-log-file-size": "1G", "loose_query_cache_size": 0, "max_connections": 9}, rejected=rejected)
    assert found["rejected"] == [["innodb-log-file-size", "innodb_log_file_size"],
                                 ["loose_query_cache_size", "query_cache_size"]]


def test_keeps_the_input_order():
    options = {"slave-skip-errors": "all", "max_connections": 9, "skip-grant-tables": True, "server-id": 7}
    found = problems(options)
    assert found["denied"] == ["slave-skip-errors", "skip-grant-tables"]
    assert found["managed"] == ["server-id"]


def test_needs_a_dict():
    with pytest.raises(AnsibleFilterError, match="must be a dict"):
        check(["skip-grant-tables"])
