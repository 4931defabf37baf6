"""The curated fact files shipped with rnkg, as package data (``rnkg.loaders.pipeline``
finds them with ``importlib.resources.files("rnkg.facts")``); no code lives here."""
