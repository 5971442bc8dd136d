# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lines site.yml, scale.yml and verify.yml end with."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: deployment_summary
short_description: A readable summary of a verified deployment
version_added: 0.2.0
description:
  - Turns the results of C(stateful.mysql.replication_check) and
    C(stateful.mysql.statefulset_wait) into a few lines, one per pod (its role, readiness,
    source and lag, problems if any), then the write and read endpoints and the Secret and
    key that hold the application password. It never shows a password.
options:
  _input:
    description: The result of C(stateful.mysql.replication_check).
    type: dict
    required: true
  wait:
    description: The result of C(stateful.mysql.statefulset_wait).
    type: dict
    required: true
  namespace:
    description: The namespace, for the endpoints' DNS names.
    type: str
    required: true
  read_service:
    description: The read Service's name.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Summary
  ansible.builtin.debug:
    msg: "{{ check | stateful.mysql.deployment_summary(wait, 'db', 'mysql-read') }}"
"""

RETURN = r"""
_value:
  description: The lines.
  type: list
  elements: str
  sample:
    - "mysql-0  primary  Ready  mysql 9.7, gtid"
    - "mysql-1  replica  Ready  source mysql-0.mysql:3306, lag 0s"
    - "writes: mysql-0.mysql.db.svc:3306"
    - "reads:  mysql-read.db.svc:3306"
    - "application password: Secret mysql-credentials, key app-password"
"""


def _problems(item):
    return "  PROBLEMS: " + "; ".join(item["problems"]) if item.get("problems") else ""


def replica_line(replica, ready):
    if replica.get("exists") is False:
        return "%s  replica  missing" % replica["pod"]
    lag = replica.get("seconds_behind")
    return "%s  replica  %s  source %s:%s, lag %s%s" % (
        replica["pod"], ready, replica.get("source_host"), replica.get("source_port"),
        "unknown" if lag is None else "%ss" % lag, _problems(replica))


def deployment_summary(check, wait, namespace, read_service):
    ready = dict((pod["name"], "Ready" if pod.get("ready") else "not Ready") for pod in wait.get("pods") or [])
    primary = check["primary"]
    lines = ["%s  primary  %s  %s %s, %s%s" % (
        primary["pod"], ready.get(primary["pod"], "not Ready"), check["flavor"], check["version"],
        check["replication_mode"], _problems(primary))]
    lines += [replica_line(replica, ready.get(replica["pod"], "not Ready")) for replica in check["replicas"]]
    domain = "%s.svc" % namespace
    lines += [
        "writes: %s.%s.%s:%s" % (primary["pod"], check["service"], domain, check["port"]),
        "reads:  %s.%s:%s" % (read_service, domain, check["port"]),
        "application password: Secret %s, key app-password" % check["secret_name"],
    ]
    return lines


class FilterModule(object):
    def filters(self):
        return {"deployment_summary": deployment_summary}
