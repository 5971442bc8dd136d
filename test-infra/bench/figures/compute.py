"""Every figure of the document from one results.json, per benchmark and server."""

from figures import discarded, provenance
from figures.backup import backup
from figures.clone import clone
from figures.commit import commit
from figures.deploy import ttr
from figures.layout import absence, bucket, normalize, servers_for
from figures.rerun import rerun
from figures.scale import scale
from figures.wait import wait

# section -> (benchmark whose runs it shows, its figures from a server's bucket and the view)
SECTIONS = (
    ("ttr", "ttr", lambda b, view: ttr(b["ttr"])),
    ("rerun", "ttr", lambda b, view: rerun(b["rerun"], view["imports"])),
    ("wait", "wait", lambda b, view: wait(b["wait"], b["ttr"])),
    ("clone", "clone", lambda b, view: clone(b["clone"], quick=view["meta"].get("mode") != "full")),
    ("scale", "scale", lambda b, view: scale(b["scale"], b["scale_setup"])),
    ("commit", "commit", lambda b, view: commit(b["commit"])),
    ("backup", "backup", lambda b, view: backup(b["backup"])),
)


def sections(view):
    """section -> [{"server", "figures" (None when not measured), "absence"}]."""
    out = {}
    for section, benchmark, figures_of in SECTIONS:
        out[section] = [{"server": name, "figures": figures_of(bucket(view, name), view),
                         "absence": absence(view, benchmark, name)} for name in servers_for(view, benchmark)]
    return out


def compute(results):
    view = normalize(results)
    meta = view["meta"]
    return {"meta": meta, "servers": provenance.servers(meta), "collection": provenance.collection(meta),
            "commands": provenance.commands(view), "imports": view["imports"], "sections": sections(view),
            "discarded": discarded.discarded(view), "flagged": discarded.flagged(view),
            "errors": discarded.errors(view)}
