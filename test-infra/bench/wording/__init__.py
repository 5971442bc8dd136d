"""The benchmark document's text: Markdown built from what the figures package computed.
Nothing here computes a median, a ratio or a verdict."""
