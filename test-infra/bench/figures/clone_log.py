"""The init containers' log lines ("<time> <script>: <message>", whole seconds) as the
moments a clone passes through. MariaDB (clone-stream.sh): receiving, received (the stream
extracted), cloned (prepared and renamed). MySQL (clone-plugin.sh): cloning (the throwaway
recipient is up and CLONE starts), copied (CLONE returned: "cloned 76M in 1s"), cloned (the
datadir renamed: "datadir cloned from ... in 5s"). Also when init-datadir last logged: with
one init container running the scripts in turn, that is when the clone step began."""

import re

from timelines import parse_time

_LINE = re.compile(r"^(\S+Z) ([a-z-]+): (.*)$")
# "cloned 156M in 3s": du -sh of what CLONE wrote, in powers of 1024.
_COPIED = re.compile(r"^cloned (\d+(?:\.\d+)?)([KMGT]?) in ")
_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def clone_log(text):
    """moment -> epoch seconds, plus the messages that say how much was copied."""
    out = {}
    for line in (text or "").splitlines():
        m = _LINE.match(line)
        if not m:
            continue
        t, script, msg = parse_time(m.group(1)), m.group(2), m.group(3)
        if script != "clone":
            out["after:" + script] = t
        elif msg.startswith("receiving a backup"):
            out["receiving"] = t
        elif msg.startswith("received "):
            out["received"], out["received_msg"] = t, msg
        elif msg.startswith("cloning "):
            out["cloning"] = t
        elif msg.startswith("cloned "):
            out["copied"], out["copied_msg"] = t, msg
            size = _COPIED.match(msg)
            if size:
                out["copied_bytes"] = float(size.group(1)) * _UNITS[size.group(2)]
        elif msg.startswith("datadir cloned"):
            out["cloned"] = t
        elif msg.startswith("waiting for the donor"):
            out.setdefault("waiting", t)
    return out
