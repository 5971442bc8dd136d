# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The dns1123_label test the roles check names with."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.mysql.plugins.test import dns1123_label as plugin

label = plugin.TestModule().tests()["dns1123_label"]


@pytest.mark.parametrize("value", ["mysql", "a", "db-1", "x" * 63, "0abc"])
def test_labels(value):
    assert label(value)


@pytest.mark.parametrize("value", ["", "My_Db", "-db", "db-", "a.b", "x" * 64, None, 5, "db\n"])
def test_not_labels(value):
    assert not label(value)


def test_max_length():
    assert label("x" * 52, 52) and not label("x" * 53, 52)
