"""The seed claims index (``seed-claims.yaml``: each seed article's substantive claims and the
facts that carry them) and the code that reads it and finds its claims in a store
(``rnkg.claims.index``). It is not a fact file: the loader never reads it."""
