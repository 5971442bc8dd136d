"""Writes docs/benchmarks.md from a results.json of bench.py (measured numbers only):
figures/ computes, wording/ words.

    python report.py RESULTS.json OUTPUT.md
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from figures.compute import compute  # noqa: E402  (after the path above)
from wording.document import render  # noqa: E402


def write(results_path, output):
    with open(results_path) as f:
        results = json.load(f)
    text = render(compute(results))
    with open(output + ".tmp", "w") as f:
        f.write(text)
    os.replace(output + ".tmp", output)


if __name__ == "__main__":
    write(sys.argv[1], sys.argv[2])
