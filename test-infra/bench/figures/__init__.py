"""The benchmark document's numbers, computed from results.json: pure functions that return
plain data (medians, ratios, phase breakdowns, verdicts against the goals). The wording
package turns them into Markdown; nothing here formats text for a reader."""
