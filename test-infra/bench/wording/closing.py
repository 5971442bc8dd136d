"""The document's end: runs discarded or kept although disturbed, errors, the closing note."""

from wording.markdown import label, s


def discarded(doc, figs):
    doc.w("## Discarded runs")
    doc.w()
    if not figs["discarded"]:
        doc.w("None: no pod of a measured run was ever unschedulable.")
    else:
        doc.w("Runs repeated because other workloads on the shared node kept a pod from being scheduled "
              "(not used above):")
        doc.w()
        for d in figs["discarded"]:
            doc.w("- %s, %s: %s (total %s)" % (label(d["flavor"] or "?"), d["what"], "; ".join(d["disturbed"]),
                                               s(d["total"])))
    doc.w()
    if figs["flagged"]:
        doc.w("Kept although disturbed (the retries were disturbed too): %s." % ", ".join(
            "%s %s %s" % (label(x["flavor"]), x["kind"], x["index"]) for x in figs["flagged"]))
        doc.w()


def errors(doc, figs):
    if not figs["errors"]:
        return
    doc.w("## Errors")
    doc.w()
    for e in figs["errors"]:
        where = " (%s)" % label(e["flavor"]) if e["flavor"] else ""
        doc.w("- %s%s: `%s`" % (e["benchmark"], where, e["error"]))
    doc.w()


def closing(doc):
    doc.w("## Closing note")
    doc.w()
    if not doc.notes:
        doc.w("Every goal measured here was met.")
    else:
        doc.w("Goals missed, what the measurements above say about why, and the proposed fix:")
        doc.w()
        for n in doc.notes:
            doc.w("- " + n)
    doc.w()
