"""Benchmark 6's figures: per-commit latency with the primary waiting for a replica's
acknowledgement (semi-sync) and without, and what the wait costs."""

from figures.common import med


def commit(runs):
    """None when not measured, else medians (milliseconds per commit) and the cost."""
    if not runs:
        return None

    def per_commit(run):
        return run["micros"] / 1000.0 / run["commits"]

    semi = [per_commit(r) for r in runs if r["semi_sync"]]
    plain = [per_commit(r) for r in runs if not r["semi_sync"]]
    if not semi or not plain:
        return None
    semi_ms, plain_ms = med(semi), med(plain)
    return {"rows": [dict(r, ms=per_commit(r)) for r in runs], "commits": runs[0]["commits"],
            "semi_ms": semi_ms, "async_ms": plain_ms, "cost_ms": semi_ms - plain_ms,
            "ratio": semi_ms / plain_ms if plain_ms else None, "runs": len(semi)}
