# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Makes ``ansible_collections.stateful.mysql`` importable and loads the fixtures.

Works from a collection copy (``.../ansible_collections/stateful/mysql``, as
test-infra/unit.sh and ansible-test run it) and from the repository checkout (through
its ``collections/`` symlink).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
FIXTURES = os.path.join(HERE, "fixtures")


def _collections_path():
    parent = os.path.dirname(os.path.dirname(ROOT))
    if os.path.basename(parent) == "ansible_collections":
        return os.path.dirname(parent)
    checkout = os.path.join(ROOT, "collections")
    if os.path.isdir(os.path.join(checkout, "ansible_collections", "stateful", "mysql")):
        return checkout
    return None


_PATH = _collections_path()
if _PATH and _PATH not in sys.path:
    sys.path.insert(0, _PATH)


def load_pod(name):
    with open(os.path.join(FIXTURES, "pods", name + ".yaml")) as handle:
        return yaml.safe_load(handle)


def load_statefulset(name):
    with open(os.path.join(FIXTURES, "statefulsets", name + ".yaml")) as handle:
        return yaml.safe_load(handle)


def load_batch(name):
    """A batch-output fixture without its ``# `` header lines."""
    with open(os.path.join(FIXTURES, "replica_status", name + ".tsv")) as handle:
        lines = handle.read().split("\n")
    while lines and lines[0].startswith("# "):
        lines.pop(0)
    return "\n".join(lines)


@pytest.fixture
def pod():
    return load_pod


@pytest.fixture
def batch():
    return load_batch


@pytest.fixture
def sts():
    """The captured StatefulSet ``ok`` (its pod ok-0 is pods/ready.yaml)."""
    return load_statefulset("ok")
