#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: k8s_objects_info
short_description: Read several Kubernetes objects in one call, never returning Secret values
version_added: 0.1.0
author:
  - stateful.mysql maintainers (@stateful)
description:
  - Looks up a list of objects (by kind, and optionally name, namespace and labels) with one
    API client, so the collection's roles check the cluster before changing anything at the
    cost of one module run instead of one per object.
  - Secret values are never returned. A Secret's C(data) maps each key to whether it holds a
    non-empty value, and its C(keys_ending_in_line_break) lists the keys whose value ends in a
    line feed or carriage return (which the collection refuses as a password).
extends_documentation_fragment:
  - kubernetes.core.k8s_auth_options
options:
  objects:
    description: What to read.
    type: list
    elements: dict
    required: true
    suboptions:
      kind:
        description: Kind of the objects.
        type: str
        required: true
      api_version:
        description: API version of the kind.
        type: str
        default: v1
      name:
        description: Name of one object; omit to list.
        type: str
      namespace:
        description: Namespace; omit for cluster-scoped kinds or to list across namespaces.
        type: str
      label_selectors:
        description: Label selectors for listing, as in C(kubernetes.core.k8s_info).
        type: list
        elements: str
        default: []
attributes:
  check_mode:
    support: full
    description: Reads only; check mode changes nothing about what it does.
  diff_mode:
    description: Returns no diff.
    support: none
requirements:
  - kubernetes >= 24.2.0
"""

EXAMPLES = r"""
- name: Read a StatefulSet, its ConfigMap and its Secret's keys at once
  stateful.mysql.k8s_objects_info:
    objects:
      - {kind: StatefulSet, api_version: apps/v1, name: mysql, namespace: db}
      - {kind: ConfigMap, name: mysql-config, namespace: db}
      - {kind: Secret, name: mysql-credentials, namespace: db}
      - {kind: StorageClass, api_version: storage.k8s.io/v1}
  register: found

- name: Which Secret keys are empty or missing
  ansible.builtin.debug:
    msg: "{{ found.objects[2].resources[0].data | dict2items | rejectattr('value') | map(attribute='key') }}"
"""

RETURN = r"""
objects:
  description: One entry per requested object, in the same order.
  returned: always
  type: list
  elements: dict
  contains:
    kind:
      description: The requested kind.
      type: str
    api_version:
      description: The requested API version.
      type: str
    name:
      description: The requested name, if any.
      type: str
    namespace:
      description: The requested namespace, if any.
      type: str
    api_found:
      description: Whether the cluster serves this kind (false when, for example, a CRD is missing).
      type: bool
    exists:
      description: Whether at least one object matched.
      type: bool
    resources:
      description: >-
        The matching objects. Secrets carry key -> bool instead of values, and
        C(keys_ending_in_line_break), the keys whose value ends in a line break.
      type: list
      elements: dict
"""

from ansible_collections.stateful.mysql.plugins.module_utils.k8s.runner import k8s_argument_spec, run_module
from ansible_collections.stateful.mysql.plugins.module_utils.k8s.objects import read_objects


def argument_spec():
    return k8s_argument_spec(objects=dict(
        type="list",
        elements="dict",
        required=True,
        options=dict(
            kind=dict(type="str", required=True),
            api_version=dict(type="str", default="v1"),
            name=dict(type="str"),
            namespace=dict(type="str"),
            label_selectors=dict(type="list", elements="str", default=[]),
        ),
    ))


def main():
    run_module(argument_spec(),
               lambda api, module: dict(changed=False, objects=read_objects(api, module.params["objects"])))


if __name__ == "__main__":
    main()
