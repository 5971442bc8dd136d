# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The summary the playbooks end with."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.stateful.mysql.plugins.filter.deployment_summary import deployment_summary

CHECK = {
    "flavor": "mysql", "version": "9.7", "replication_mode": "gtid", "port": 3306, "service": "mysql",
    "secret_name": "mysql-credentials",
    "primary": {"pod": "mysql-0", "problems": []},
    "replicas": [
        {"pod": "mysql-1", "exists": True, "source_host": "mysql-0.mysql", "source_port": 3306, "seconds_behind": 0,
         "problems": []},
        {"pod": "mysql-2", "exists": True, "source_host": "mysql-0.mysql", "source_port": 3306, "seconds_behind": None,
         "problems": ["SQL thread not running (state: No)"]},
        {"pod": "mysql-3", "exists": False, "problems": ["pod mysql-3 does not exist"]},
    ],
}
WAIT = {"pods": [{"name": "mysql-0", "ready": True}, {"name": "mysql-1", "ready": True}, {"name": "mysql-2", "ready": False}]}


def test_the_lines():
    assert deployment_summary(CHECK, WAIT, "db", "mysql-read") == [
        "mysql-0  primary  Ready  mysql 9.7, gtid",
        "mysql-1  replica  Ready  source mysql-0.mysql:3306, lag 0s",
        "mysql-2  replica  not Ready  source mysql-0.mysql:3306, lag unknown  PROBLEMS: SQL thread not running (state: No)",
        "mysql-3  replica  missing",
        "writes: mysql-0.mysql.db.svc:3306",
        "reads:  mysql-read.db.svc:3306",
        "application password: Secret mysql-credentials, key app-password",
    ]


def test_a_primary_with_problems_says_so():
    check = dict(CHECK, primary={"pod": "mysql-0", "problems": ["read_only is ON on the primary"]}, replicas=[])
    assert deployment_summary(check, {"pods": []}, "db", "r")[0] == (
        "mysql-0  primary  not Ready  mysql 9.7, gtid  PROBLEMS: read_only is ON on the primary")
