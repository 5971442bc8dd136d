# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the server reads what the pod scripts write, to check their quoting round-trips:
SQL string literals and option-file values, as the MySQL and MariaDB manuals define them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

# Backslash escapes in SQL strings; \% and \_ keep their backslash, any other \x is x.
_SQL_ESCAPES = {"0": "\0", "'": "'", '"': '"', "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a",
                "\\": "\\", "%": "\\%", "_": "\\_"}
# Backslash escapes in option-file values; any other \x stays \x.
_CNF_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "r": "\r", "s": " ", "\\": "\\", '"': '"', "'": "'"}


def sql_string(text, no_backslash_escapes=False):
    """(value, rest): the quoted string literal at the start of ``text`` and what follows.
    With ``no_backslash_escapes`` (the sql_mode flag) a backslash is an ordinary character
    and only a doubled quote stands for the quote."""
    quote = text[0]
    assert quote in "'\"", "no string literal at %r" % text
    out, i = [], 1
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and not no_backslash_escapes:
            out.append(_SQL_ESCAPES.get(text[i + 1], text[i + 1]))
            i += 2
        elif char == quote and text[i + 1:i + 2] == quote:
            out.append(quote)
            i += 2
        elif char == quote:
            return "".join(out), text[i + 1:]
        else:
            out.append(char)
            i += 1
    raise AssertionError("unterminated string literal: %r" % text)


# The one statement that changes a session's sql_mode in the pod scripts (lib.sh's
# SQL_LITERAL_MODE): it appends a flag to the mode the session started with.
_APPEND_SQL_MODE = re.compile(
    r"SET SESSION sql_mode = CONCAT_WS\(',', NULLIF\(@@SESSION\.sql_mode, ''\), '([A-Z_]+)'\);\n")


def session_sql_mode(text, server_mode):
    """(flags, rest): the session's sql_mode flags after the SET statement at the start of
    ``text``, in a session that started with the server's ``server_mode`` (as the server
    evaluates it: CONCAT_WS skips the NULL an empty mode becomes), and the text after it."""
    match = _APPEND_SQL_MODE.match(text)
    assert match, "the session does not start by setting sql_mode: %r" % text[:120]
    flags = [flag for flag in server_mode.split(",") if flag] + [match.group(1)]
    return flags, text[match.end():]


def _strip_comment(line):
    # A '#' outside quotes starts a comment; a backslash inside quotes protects a quote.
    quote, escape = None, False
    for i, char in enumerate(line):
        if char in "'\"" and not escape:
            quote = char if quote is None else (None if quote == char else quote)
        if quote is None and char == "#":
            return line[:i]
        escape = quote is not None and char == "\\" and not escape
    return line


def option_file(text):
    """{group: {option: value}} of an option file, read line by line as the client does."""
    groups, group = {}, None
    for line in text.split("\n"):
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            group = groups.setdefault(line.strip("[]"), {})
            continue
        assert group is not None and "=" in line, "not an option line: %r" % line
        name, value = line.split("=", 1)
        value = _strip_comment(value).strip()
        if len(value) > 1 and value[0] in "'\"" and value[-1] == value[0]:
            value = value[1:-1]
        out, i = [], 0
        while i < len(value):
            if value[i] == "\\" and i + 1 < len(value):
                out.append(_CNF_ESCAPES.get(value[i + 1], value[i:i + 2]))
                i += 2
            else:
                out.append(value[i])
                i += 1
        group[name.strip()] = "".join(out)
    return groups
