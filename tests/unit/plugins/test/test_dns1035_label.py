# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The dns1035_label test deployment names are checked with (they name Services)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.mysql.plugins.test import dns1035_label as plugin

label = plugin.TestModule().tests()["dns1035_label"]


@pytest.mark.parametrize("value", ["mysql", "a", "db-1", "x" * 63, "a0", "my-db-2"])
def test_labels(value):
    assert label(value)


@pytest.mark.parametrize("value", ["", "0abc", "1", "9-db", "My_Db", "Mysql", "-db", "db-", "a.b", "a_b", "x" * 64,
                                   None, 5, "db\n", "\ndb", u"dé"])
def test_not_labels(value):
    assert not label(value)


def test_max_length():
    assert label("x" * 52, 52) and not label("x" * 53, 52)
