# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one exception type that leaves the replication wing; its kinds subclass it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ReplicationError(Exception):
    """Replication cannot be read or judged; the message says why."""
