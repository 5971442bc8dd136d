# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The k8s_quantity test the roles check sizes and resources with."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.mysql.plugins.test import k8s_quantity as plugin

quantity = plugin.TestModule().tests()["k8s_quantity"]


@pytest.mark.parametrize("value", ["10Gi", "512Mi", "250m", "1.5", "1e3", ".5", "+1", "2k", 3, 0.5, 0])
def test_quantities(value):
    assert quantity(value)


@pytest.mark.parametrize("value", ["10GB", "lots", "", "-1", "1.5.2", "Gi", True, -2, None, "10 Gi", "10Gi\n"])
def test_not_quantities(value):
    assert not quantity(value)
