"""Markdown building blocks: the document being written (lines, summary rows, closing
notes), tables, number formats, commands as a reader would type them, verdicts as words."""

import shlex

import server_flavors


def f(value, digits=1, unit=""):
    if value is None:
        return "n/a"
    return ("%." + str(digits) + "f%s") % (value, unit)


def s(value, digits=1):
    return f(value, digits, " s")


def mb(nbytes, digits=0):
    return f(nbytes / 1e6 if nbytes is not None else None, digits)


def cmd(argv):
    """A command as a reader would type it (kubectl by name; its path is in the versions)."""
    if argv and isinstance(argv[0], list):
        return " && ".join(cmd(a) for a in argv)
    return shlex.join(["kubectl" if a.endswith("/kubectl") else a for a in argv])


def label(server):
    return server_flavors.label(server)


def verdict_text(v, goal):
    """A verdict from figures.goals as the summary and the sections word it."""
    if v["status"] == "not measured":
        return "not measured"
    above = goal.kind == "min"
    unit = "" if above else goal.unit
    if v["status"] == "met":
        return "**met** (%s %s)" % (f(v["margin"], goal.met_digits, unit), "above" if above else "under")
    text = "**missed**"
    if v["margin"] is not None:
        text += " by %s (%s%% %s the goal)" % (
            f(v["margin"], goal.digits, unit), f(v["percent"], 0), "short of" if above else "over")
    if v.get("changed"):
        text += "; %s" % ", ".join("changed=%d in run %d" % (c, i) for i, c in v["changed"])
    return text


class Doc:
    def __init__(self):
        self.lines = []
        self.summary = []  # (#, server, benchmark, measured, goal, verdict)
        self.notes = []  # closing-note paragraphs, one per missed goal

    def w(self, text=""):
        self.lines.append(text)

    def table(self, header, rows):
        self.w("| " + " | ".join(header) + " |")
        self.w("|" + "|".join("---" for _ in header) + "|")
        for row in rows:
            self.w("| " + " | ".join(str(c) for c in row) + " |")
        self.w()

    def heading(self, text, server):
        self.w("## %s (%s)" % (text, label(server)))
        self.w()

    def not_measured(self, entry, number, what, goal_text):
        """A section without numbers: says why, and keeps its row in the summary."""
        if entry["absence"] == "error":
            self.w("Not measured (see *Errors*).")
        else:
            self.w("Not measured: this run did not include %s in this benchmark (see `--flavor` and `--only` in "
                   "test-infra/bench/README.md)." % label(entry["server"]))
        self.w()
        self.summary.append((number, label(entry["server"]), what, "n/a", goal_text, "not measured"))
