"""Run collections: fetch each stream page by page, save, checkpoint, import.

For one collection, a run
1. imports the pages a killed run saved but did not import;
2. fetches every stream from its checkpoint, writing each page before the checkpoint moves
   past it (see `store`), importing every `import_every` pages on the way;
3. imports what is left. An error stops the collection (CollectError, in the report); what
   was saved before it is imported all the same.

Pages are imported with `marsad.ingest.pipeline.ingest`, the format forced to the source's.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from marsad.collect.base import CollectError, Sleep, Stream
from marsad.collect.config import Collection
from marsad.collect.http import Http, RetryPolicy, make_client
from marsad.collect.store import Checkpoint, CollectionStore
from marsad.config import ConfigError, Settings

COLLECT_DIR = "collect"
IMPORT_EVERY = 100  # pages
PageCallback = Callable[["CollectionReport"], None]


@dataclass(slots=True)
class CollectionReport:
    name: str
    source: str
    pages_fetched: int = 0  # requests answered this run
    pages_saved: int = 0  # pages written this run (fetched pages holding something to keep)
    records_saved: int = 0
    pages_imported: int = 0
    read: int = 0
    new: int = 0
    updated: int = 0
    duplicate: int = 0
    rejected: int = 0
    rejects_files: list[str] = field(default_factory=list)
    error: str | None = None
    stopped_at_max_pages: bool = False
    checkpoint: dict[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.error is not None

    def add_import(self, summary: Any, pages: int) -> None:
        self.pages_imported += pages
        for name in ("read", "new", "updated", "duplicate", "rejected"):
            setattr(self, name, getattr(self, name) + int(getattr(summary, name)))
        if summary.rejects_file:
            self.rejects_files.append(str(summary.rejects_file))

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


class Collector:
    """Runs collections into one project; close it (or use `with`) to free its clients."""

    def __init__(
        self,
        settings: Settings,
        *,
        environ: Mapping[str, str] | None = None,
        sleep: Sleep = time.sleep,
        http_client: httpx.Client | None = None,
        policy: RetryPolicy | None = None,
        telegram_client: Any = None,
        max_pages: int | None = None,
        import_every: int = IMPORT_EVERY,
        on_page: PageCallback = lambda report: None,
    ) -> None:
        self.settings = settings
        self.environ = os.environ if environ is None else environ
        self.sleep = sleep
        self._http_client = http_client
        self._owns_http = http_client is None
        self.policy = policy
        self._telegram = telegram_client
        self._owns_telegram = telegram_client is None
        self._telegram_error: CollectError | None = None
        self.max_pages = max_pages
        self.import_every = import_every
        self.on_page = on_page

    def folder(self, collection: Collection) -> Path:
        return self.settings.project_dir / COLLECT_DIR / collection.name

    def run(self, collection: Collection) -> CollectionReport:
        store = CollectionStore(self.folder(collection))
        report = CollectionReport(collection.name, collection.source)
        with store.locked():
            checkpoint = store.load()
            self._import(collection, store, checkpoint, report)
            try:
                self._fetch(collection, store, checkpoint, report)
            except CollectError as error:
                report.error = str(error)
            self._import(collection, store, checkpoint, report)
            report.checkpoint = _checkpoint_view(checkpoint)
        return report

    def _fetch(
        self,
        collection: Collection,
        store: CollectionStore,
        checkpoint: Checkpoint,
        report: CollectionReport,
    ) -> None:
        for stream in self._streams(collection):
            state = stream.start(checkpoint.streams.get(stream.key))
            while state is not None:
                if self.max_pages is not None and report.pages_fetched >= self.max_pages:
                    report.stopped_at_max_pages = True
                    return
                fetched = stream.fetch(state)
                report.pages_fetched += 1
                if fetched.lines:
                    checkpoint.pages_written += 1
                    store.write_page(checkpoint.pages_written, fetched.lines)
                    checkpoint.records_saved += len(fetched.lines)
                    report.pages_saved += 1
                    report.records_saved += len(fetched.lines)
                checkpoint.streams[stream.key] = fetched.state
                store.save(checkpoint)  # only now is the page behind the checkpoint
                self.on_page(report)
                state = None if fetched.finished else fetched.state
                if checkpoint.pages_written - checkpoint.pages_imported >= self.import_every:
                    self._import(collection, store, checkpoint, report)

    def _import(
        self,
        collection: Collection,
        store: CollectionStore,
        checkpoint: Checkpoint,
        report: CollectionReport,
    ) -> None:
        from marsad.ingest.pipeline import IngestError, IngestOptions, ingest
        from marsad.ingest.registry import format_specs
        from marsad.warehouse import WarehouseError

        paths = [path for path in store.pending(checkpoint) if path.exists()]
        if not paths:
            return
        if collection.format_key not in format_specs():
            report.error = report.error or (
                f"the saved pages could not be imported (they will be on a later run): this "
                f"marsad has no {collection.format_key!r} import format"
            )
            return
        options = IngestOptions(
            dataset=collection.dataset,
            format_key=collection.format_key,
            pseudonymise=collection.pseudonymise,
        )
        try:
            summary = ingest(paths, self.settings, options)
        except (IngestError, WarehouseError, ConfigError, ImportError) as error:
            report.error = report.error or (
                f"the saved pages could not be imported (they will be on a later run): {error}"
            )
            return
        checkpoint.pages_imported = checkpoint.pages_written
        store.save(checkpoint)  # only after the import committed
        report.add_import(summary, len(paths))

    def _streams(self, collection: Collection) -> Iterator[Stream]:
        if collection.source == "telegram":
            from marsad.collect.telegram import telegram_streams

            return telegram_streams(collection, self.telegram_client(), self.sleep)
        http = Http(self._http(), policy=self.policy, sleep=self.sleep)
        if collection.source == "mastodon":
            from marsad.collect.mastodon import mastodon_streams

            return mastodon_streams(collection, http)
        from marsad.collect.bluesky import BlueskyApi, bluesky_streams

        api = BlueskyApi.for_collection(collection, http, self.environ)
        return bluesky_streams(collection, api)

    def telegram_client(self) -> Any:
        """The Telegram client, started (and logged in, asking on the terminal) once per
        Collector; a failure to start is kept and raised again for every collection."""
        from marsad.collect.telegram import open_client

        if self._telegram is None:
            if self._telegram_error is not None:
                raise self._telegram_error
            try:
                self._telegram = open_client(self.settings.project_dir, self.environ)
            except CollectError as error:
                self._telegram_error = error
                raise
        return self._telegram

    def _http(self) -> httpx.Client:
        if self._http_client is None:
            self._http_client = make_client()
        return self._http_client

    def close(self) -> None:
        if self._owns_http and self._http_client is not None:
            self._http_client.close()
            self._http_client = None
        if self._owns_telegram and self._telegram is not None:
            self._telegram.disconnect()
            self._telegram = None

    def __enter__(self) -> Collector:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _checkpoint_view(checkpoint: Checkpoint) -> dict[str, Any]:
    return {
        "pages_written": checkpoint.pages_written,
        "pages_imported": checkpoint.pages_imported,
        "records_saved": checkpoint.records_saved,
        "streams": {key: _position(state) for key, state in checkpoint.streams.items()},
    }


def _position(state: Mapping[str, Any]) -> str:
    """A stream's checkpoint in a few words: where it stands and whether its pass is done."""
    done = "done" if state.get("finished") else "in progress"
    for name in ("max_id", "cursor", "last_id"):
        if state.get(name):
            return f"{done}, {name} {state[name]}"
    return done
