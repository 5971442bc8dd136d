#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: generated_secret
short_description: Create a Secret of random passwords once, and never rewrite it
version_added: 0.2.0
description:
  - Creates the Secret O(name) with one random value per key in O(keys) (O(length) letters
    and digits, from Python's C(secrets) module) when no Secret of that name exists.
  - A Secret that exists is left exactly as it is, whatever it holds, so passwords already
    inside a datadir are never replaced. The creation is a single C(POST), which the API
    refuses when the Secret exists, so there is no window in which a second run could
    overwrite it.
  - Values are never returned or logged; the result names the keys only.
author:
  - stateful.mysql maintainers (@stateful)
requirements:
  - python >= 3.8
  - kubernetes >= 24.2.0
extends_documentation_fragment:
  - kubernetes.core.k8s_auth_options
attributes:
  check_mode:
    description: Reports whether the Secret would be created, creating nothing.
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
options:
  name:
    description: Name of the Secret.
    type: str
    required: true
  namespace:
    description: Its namespace, which must exist.
    type: str
    required: true
  keys:
    description: The keys to generate a value for.
    type: list
    elements: str
    required: true
  length:
    description: Characters per value.
    type: int
    default: 32
  labels:
    description: Labels of a Secret this module creates.
    type: dict
    default: {}
seealso:
  - module: kubernetes.core.k8s
"""

EXAMPLES = r"""
- name: Passwords for the deployment, generated once
  stateful.mysql.generated_secret:
    name: mysql-credentials
    namespace: db
    keys: [root-password, replication-password, backup-password, app-password]
  no_log: true
"""

RETURN = r"""
created:
  description: Whether this run created the Secret.
  returned: always
  type: bool
keys:
  description: The Secret's keys that hold a non-empty value.
  returned: always
  type: list
  elements: str
  sample: [app-password, backup-password, replication-password, root-password]
missing:
  description: Keys of O(keys) an existing Secret lacks (it is not changed to add them).
  returned: always
  type: list
  elements: str
"""

from ansible_collections.stateful.mysql.plugins.module_utils.k8s.runner import k8s_argument_spec, run_module
from ansible_collections.stateful.mysql.plugins.module_utils.k8s import secrets as generated_secrets


def argument_spec():
    return k8s_argument_spec(
        name=dict(type="str", required=True),
        namespace=dict(type="str", required=True),
        keys=dict(type="list", elements="str", required=True, no_log=False),
        length=dict(type="int", default=32),
        labels=dict(type="dict", default={}),
    )


def ensure(api, module):
    params = module.params
    return generated_secrets.ensure(api, params["namespace"], params["name"], params["keys"], params["length"],
                                    params["labels"], module.check_mode)


def main():
    run_module(argument_spec(), ensure, checks=[(lambda p: p["length"] >= 16, "length must be at least 16")])


if __name__ == "__main__":
    main()
