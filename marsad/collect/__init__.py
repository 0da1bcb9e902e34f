"""Live collection from open APIs: Mastodon, Bluesky and public Telegram channels.

`marsad collect CONFIG` reads a TOML file of collections (`config`), fetches each collection's
pages through its source's streams (`mastodon`, `bluesky`, `telegram`), saves every page under
`collect/<name>/pages/` before the checkpoint `collect/<name>/state.json` moves past it
(`store`), and imports the saved pages into the warehouse through the normal import path
(`runner`). A run killed at any moment resumes from the checkpoint on the next run.
"""

from marsad.collect.base import CollectError
from marsad.collect.config import CollectConfigError, Collection, load_collections
from marsad.collect.runner import CollectionReport, Collector

__all__ = [
    "CollectConfigError",
    "CollectError",
    "Collection",
    "CollectionReport",
    "Collector",
    "load_collections",
]
