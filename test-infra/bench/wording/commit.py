"""Section 6, what semi-synchronous replication costs a commit, in words."""

from wording.markdown import f, label

WHAT = "commit latency, semi-sync (wait) / asynchronous"


def commit_section(doc, entry):
    server, figs = entry["server"], entry["figures"]
    doc.heading("6. Commit latency with and without semi-synchronous replication", server)
    if figs is None:
        doc.not_measured(entry, "6", WHAT, "none set")
        return
    doc.w("A 3-pod deployment (stateful_mysql_semi_sync=wait, the default). On the primary, one "
          "session commits %d single-row transactions (one INSERT statement each, autocommit), timed by the "
          "server (`NOW(6)` before and after); then the same with the primary's wait for a replica "
          "switched off (`SET GLOBAL` of the semi-sync source switch); %d rounds, the order alternating."
          % (figs["commits"], figs["runs"]))
    doc.w()
    doc.table(["run", "mode", "load1", "ms per commit"],
              [[r["index"], "semi-sync" if r["semi_sync"] else "asynchronous", f(r["load1"], 2), f(r["ms"], 2)]
               for r in figs["rows"]])
    cost = ("the wait for a replica's acknowledgement costs **%s ms** per commit (%sx)"
            % (f(figs["cost_ms"], 2), f(figs["ratio"], 2)) if figs["cost_ms"] > 0 else
            "no cost was measurable: the asynchronous commits were not faster (%sx), so the "
            "difference is below this machine's noise" % f(figs["ratio"], 2))
    doc.w("Medians: **%s ms** per commit with semi-sync, **%s ms** without: %s. No goal is set; "
          "it is the price of no acknowledged commit being on the primary alone." % (
              f(figs["semi_ms"], 2), f(figs["async_ms"], 2), cost))
    doc.w()
    doc.summary.append(("6", label(server), WHAT, "%s ms / %s ms (%sx)" % (
        f(figs["semi_ms"], 2), f(figs["async_ms"], 2), f(figs["ratio"], 2)), "none set", "-"))
