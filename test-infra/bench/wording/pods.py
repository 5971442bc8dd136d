"""The per-pod table: creation, scheduling, init containers, server start, Ready, noticed."""

from figures.common import init_names
from wording.markdown import f


def span(a, b):
    return "%s-%s" % (f(a, 0), f(b, 0)) if a is not None else "n/a"


def pod_table(doc, histories, noticed_label=None):
    """histories from figures.common.pod_histories; the last column only with noticed_label."""
    inits = init_names(histories)
    header = ["pod", "created", "scheduled"] + inits + ["mysql started", "Ready (watcher)"]
    if noticed_label:
        header.append(noticed_label)
    rows = []
    for h in histories:
        spans = dict((name, (a, b)) for name, a, b in h["init"])
        row = [h["pod"], f(h["created"]), f(h["scheduled"], 0)] + [span(*spans.get(n, (None, None))) for n in inits]
        row += [f(h["started"], 0), f(h["ready"], 2)]
        if noticed_label:
            row.append(f(h["noticed"], 2))
        rows.append(row)
    doc.table(header, rows)
