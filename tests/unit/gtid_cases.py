# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared GTID coverage table (fixtures/gtid_cases.yml) as pytest parameters.

gtid.py's tests and lib.sh's tests both read it, so the two implementations answer the
same questions the same way.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest
import yaml

_TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "gtid_cases.yml")


def gtid_cases(kind):
    """``pytest.param(a, b, covers)`` per row of ``kind`` ("mariadb" or "mysql"), named by its why."""
    with open(_TABLE) as handle:
        rows = yaml.safe_load(handle)[kind]
    return [pytest.param(row["a"], row["b"], row["covers"], id=row["why"]) for row in rows]


def errant_cases(kind):
    """``pytest.param(primary, replica, errant)`` per row of ``<kind>_errant``, named by its why."""
    with open(_TABLE) as handle:
        rows = yaml.safe_load(handle)[kind + "_errant"]
    return [pytest.param(row["primary"], row["replica"], row["errant"], id=row["why"]) for row in rows]
