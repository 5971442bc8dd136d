# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The StatefulSet options of module_utils.k8s.runner.statefulset_argument_spec."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  name:
    description: Name of the StatefulSet; its pods are C(<name>-0) (the primary), C(<name>-1)...
    type: str
    required: true
  namespace:
    description: Namespace of the StatefulSet.
    type: str
    default: default
"""
