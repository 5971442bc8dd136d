"""The whole document, in order: header, summary, machine, commands, the seven benchmarks
(each per server), discarded runs, errors, closing note."""

from wording.backup import backup_section
from wording.clone import clone_section
from wording.commit import commit_section
from wording.closing import closing, discarded, errors
from wording.deploy import ttr_section
from wording.header import commands, header, machine
from wording.markdown import Doc
from wording.rerun import rerun_section
from wording.scale import scale_section
from wording.wait import wait_section

SECTIONS = (("ttr", ttr_section), ("rerun", rerun_section), ("wait", wait_section), ("clone", clone_section),
            ("scale", scale_section), ("commit", commit_section), ("backup", backup_section))


def render(figs):
    """Markdown from figures.compute.compute(results)."""
    body = Doc()
    for key, section in SECTIONS:
        for entry in figs["sections"][key]:
            section(body, entry)
    discarded(body, figs)
    errors(body, figs)
    closing(body)
    doc = Doc()
    header(doc, figs)
    doc.w("## Summary")
    doc.w()
    doc.table(["#", "server", "benchmark", "measured (median)", "goal", "verdict"], body.summary)
    machine(doc, figs)
    commands(doc, figs)
    return "\n".join(doc.lines + body.lines).rstrip() + "\n"
