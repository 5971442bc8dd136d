# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The wing map of docs/design.md, enforced: what each part of module_utils may import."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import os

import pytest

from ansible_collections.stateful.mysql.plugins.module_utils import flavors

PREFIX = "ansible_collections.stateful.mysql.plugins.module_utils."
ROOT = os.path.dirname(flavors.__file__)
# A wing may import itself and what is listed; nothing imports upwards.
MAY_IMPORT = {
    "flavors": set(),
    "k8s": {"k8s"},
    "replication": {"replication", "k8s", "flavors"},
    "backup": {"backup", "k8s", "flavors"},
}


def wing_of(path):
    relative = os.path.relpath(path, ROOT)
    return relative.split(os.sep)[0] if os.sep in relative else relative[:-len(".py")]


def sources():
    for folder, _dirs, files in os.walk(ROOT):
        for name in sorted(files):
            if name.endswith(".py") and name != "__init__.py":
                yield os.path.join(folder, name)


def imported_wings(path):
    with open(path) as handle:
        tree = ast.parse(handle.read(), path)
    for node in ast.walk(tree):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [
            alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        for name in names:
            if name.startswith(PREFIX):
                yield name[len(PREFIX):].split(".")[0]


def test_every_file_belongs_to_a_known_wing():
    assert {wing_of(path) for path in sources()} == set(MAY_IMPORT)


@pytest.mark.parametrize("path", sorted(sources()), ids=lambda path: os.path.relpath(path, ROOT))
def test_imports_stay_inside_what_the_wing_may_use(path):
    wing = wing_of(path)
    assert set(imported_wings(path)) <= MAY_IMPORT[wing]


def test_the_check_sees_imports():
    # Guards the check itself: the backup runner does import the k8s wing.
    assert "k8s" in set(imported_wings(os.path.join(ROOT, "backup", "runner.py")))
