"""The numbers behind the closing note on a clone that misses its goal: which fixed steps
around the transfer cost most, whether the transfer alone could reach the goal, and from
what data size the goal would be reached with the fixed steps unchanged (an estimate)."""

from figures.goals import GOALS

CLUSTER_STEPS = ("sched", "sandbox", "containers")
BUFFERS = (8192, 131072)  # socat's default and the sidecar's


def size_for_goal(goal, fixed, local_rate, transfer_of_local):
    """Bytes from which local time / (fixed + transfer time) reaches `goal`, when local and
    transfer times grow with the bytes and the fixed steps do not; None when the transfer
    alone is too slow for the goal."""
    denom = 1 - goal / transfer_of_local
    return goal * fixed * local_rate / denom if denom > 0 else None


def ranked_fixed_steps(steps, transfer_key):
    """Steps other than the playbook's start-up and the transfer, longest first."""
    pairs = [(s["key"], s["duration"]) for s in steps
             if s["key"] not in ("start", transfer_key) and s["duration"] is not None]
    return sorted(pairs, key=lambda kv: -kv[1])


def buffer_figures(paths):
    """MariaDB: the stream path's medians by socat buffer, and whether the buffer matters."""
    sp = (paths or {}).get("medians") or {}
    both = all(sp.get(b) for b in BUFFERS)
    return {"default": sp.get(BUFFERS[0]), "large": sp.get(BUFFERS[1]),
            "matters": bool(both and sp[BUFFERS[0]] > 1.2 * sp[BUFFERS[1]])}


def clone_note(figs, quick=False):
    goal = GOALS["clone"].limit
    if figs["ratio"] is None or figs["ratio"] >= goal:
        return None
    med = figs["median"]
    durations = dict((s["key"], s["duration"]) for s in med["steps"])
    ranked = ranked_fixed_steps(med["steps"], med["transfer_key"])
    fixed = sum(v for _k, v in ranked)
    note = {"ranked": ranked, "fixed": fixed, "cluster": sum(durations.get(k) or 0 for k in CLUSTER_STEPS),
            "need": med["local_equiv"] / goal if med["local_equiv"] else None,
            "transfer_too_slow": med["transfer_of_local"] is not None and med["transfer_of_local"] < goal,
            "buffers": buffer_figures(figs["paths"]) if figs["method"] == "stream" else None,
            "estimate": None, "quick": quick}
    # The stream path measures MariaDB's transfer to the sub-second; MySQL's CLONE only has
    # the log's whole seconds.
    transfer = note["buffers"]["large"] if note["buffers"] else med["transfer"]
    if transfer and med["local_equiv"]:
        r = med["local_equiv"] / transfer
        size = size_for_goal(goal, fixed, figs["local"]["rate"], r)
        note["estimate"] = {"transfer_of_local": r, "size": size,
                            "ratio_here": med["local_equiv"] / (fixed + transfer)}
    return note
