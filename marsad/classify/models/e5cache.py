"""An on-disk cache of text embeddings, so training and evaluation runs embed a text once.

A cache is a folder of shards (`<name>.npz`: the sha256 of each text and its vector). Each
`put` writes one new shard atomically (temporary file, then rename), so concurrent writers
never corrupt one another; all shards are read once, when the cache is opened. Keys include
the embedding model's name, so two models never share vectors.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

__all__ = ["EmbeddingCache", "text_key"]

Vectors = npt.NDArray[np.float32]


def text_key(model: str, text: str) -> str:
    return hashlib.sha256(f"{model}\x00{text}".encode()).hexdigest()


class EmbeddingCache:
    def __init__(self, folder: Path, model: str) -> None:
        self.folder = Path(folder)
        self.model = model
        self._vectors: dict[str, Vectors] = {}
        for shard in sorted(self.folder.glob("*.npz")):
            self._read(shard)

    def _read(self, shard: Path) -> None:
        with np.load(shard) as data:
            for key, vector in zip(data["keys"].tolist(), data["vectors"], strict=True):
                self._vectors[str(key)] = vector

    def get(self, texts: Sequence[str]) -> list[Vectors | None]:
        return [self._vectors.get(text_key(self.model, t)) for t in texts]

    def put(self, texts: Sequence[str], vectors: Vectors) -> None:
        if not len(texts):
            return
        keys = [text_key(self.model, t) for t in texts]
        self.folder.mkdir(parents=True, exist_ok=True)
        name = uuid.uuid4().hex
        tmp = self.folder / f".{name}.tmp.npz"
        np.savez(tmp, keys=np.array(keys), vectors=vectors.astype(np.float32))
        os.replace(tmp, self.folder / f"{name}.npz")
        self._vectors.update(zip(keys, vectors, strict=True))
