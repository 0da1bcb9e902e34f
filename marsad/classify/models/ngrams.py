"""TF-IDF n-gram features from plain arrays: what a fitted `TfidfVectorizer` computes, without
importing scikit-learn when a model is loaded.

`NgramIndex` holds what `transform` needs: the analyzer (`char_wb` or `word`), its n-gram
range and token pattern, the terms in column order, the idf of each column, and the
`sublinear_tf` and `norm` options. `NgramIndex.from_vectorizer` reads them from a fitted
vectorizer; `arrays` and `from_arrays` turn them into numpy arrays and back (stored with
`numpy.savez`, no pickle). Characters are counted by the numpy path of
`marsad.classify.models.charngrams` when it can reproduce the vocabulary, else (and for words)
by scikit-learn's own analyzers written out here, with a dict lookup per n-gram. The tests
check the result against `TfidfVectorizer.transform`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from marsad.classify.models.charngrams import CharGramIndex

__all__ = ["ANALYZERS", "NgramIndex", "Terms", "decode_strings", "encode_strings"]

ANALYZERS = ("char_wb", "word")
Floats = npt.NDArray[np.float32]
Ints = npt.NDArray[np.int64]
Analyzer = Callable[[str], Iterator[str]]


@dataclass(frozen=True, slots=True)
class Terms:
    """A vocabulary in column order as one string and the length of each term: a model's
    100,000 n-grams load as two arrays, and become Python strings only when asked."""

    joined: str
    lengths: Ints

    @classmethod
    def of(cls, terms: Sequence[str]) -> Self:
        return cls("".join(terms), np.array([len(t) for t in terms], dtype=np.int64))

    def __len__(self) -> int:
        return len(self.lengths)

    def strings(self) -> list[str]:
        ends = list(accumulate(self.lengths.tolist()))
        if (ends[-1] if ends else 0) != len(self.joined):
            raise ValueError(f"the term lengths add up to {ends[-1]}, not {len(self.joined)}")
        pairs = zip(ends, self.lengths.tolist(), strict=True)
        return [self.joined[end - n : end] for end, n in pairs]


@dataclass(slots=True)
class NgramIndex:
    name: str  # the feature family: "chars" or "word"
    analyzer: str  # one of ANALYZERS
    ngram_range: tuple[int, int]
    terms: Terms
    idf: Floats
    sublinear_tf: bool
    norm: str | None  # "l2" or None
    token_pattern: str
    _chars: CharGramIndex | None = field(init=False, repr=False, default=None)
    _columns: dict[str, int] | None = field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        if self.analyzer not in ANALYZERS:
            raise ValueError(f"{self.name}: analyzer {self.analyzer!r}, not one of {ANALYZERS}")
        if self.norm not in ("l2", None):
            raise ValueError(f"{self.name}: norm {self.norm!r}; expected 'l2' or None")
        if len(self.idf) != len(self.terms):
            raise ValueError(f"{self.name}: {len(self.terms)} terms but {len(self.idf)} idf values")

    @classmethod
    def from_vectorizer(cls, name: str, vectorizer: Any) -> Self:
        """The index of a fitted `TfidfVectorizer` whose options it reproduces (ValueError
        naming the option otherwise)."""
        _check_options(name, vectorizer)
        terms = [""] * len(vectorizer.vocabulary_)
        for term, column in vectorizer.vocabulary_.items():
            terms[column] = term
        return cls(
            name=name,
            analyzer=vectorizer.analyzer,
            ngram_range=tuple(vectorizer.ngram_range),
            terms=Terms.of(terms),
            idf=np.asarray(vectorizer.idf_, dtype=np.float32),
            sublinear_tf=bool(vectorizer.sublinear_tf),
            norm=vectorizer.norm,
            token_pattern=vectorizer.token_pattern,
        )

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The TF-IDF matrix of `texts` (float32, one row per text, `len(terms)` columns)."""
        return self._weigh(self.counts(texts))

    def counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        if self._chars is None and self._columns is None:
            self._index()
        if self._chars is not None:
            rows, cols = self._chars.hits(texts)
        else:
            rows, cols = self._dict_hits(texts)
        ones = np.ones(len(rows), dtype=np.float32)
        shape = (len(texts), len(self.terms))
        counts = sp.csr_matrix((ones, (rows, cols)), shape=shape)
        counts.sum_duplicates()
        return counts

    def _index(self) -> None:
        """Build the lookup on first use (a route that never predicts never pays for it):
        the numpy index for characters when it can reproduce them, else a dict."""
        if self.analyzer == "char_wb":
            terms = self.terms
            self._chars = CharGramIndex.build(terms.joined, terms.lengths, self.ngram_range)
        if self._chars is None:
            self._columns = _columns(self.terms.strings())

    def _dict_hits(self, texts: Sequence[str]) -> tuple[npt.NDArray[np.int64], ...]:
        columns = self._columns or {}
        analyze = self._analyzer()
        rows: list[int] = []
        cols: list[int] = []
        for row, text in enumerate(texts):
            found = [c for c in map(columns.get, analyze(text)) if c is not None]
            rows.extend([row] * len(found))
            cols.extend(found)
        return np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)

    def _analyzer(self) -> Analyzer:
        if self.analyzer == "word":
            return _word_ngrams(re.compile(self.token_pattern), self.ngram_range)
        return _char_wb_ngrams(self.ngram_range)

    def _weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        data = counts.data
        if self.sublinear_tf:
            np.log(data, out=data)
            data += 1.0
        data *= self.idf[counts.indices]
        if self.norm == "l2":
            squares = np.square(data, dtype=np.float32).astype(np.float64)
            lengths = np.zeros(counts.shape[0])
            filled = np.diff(counts.indptr) > 0
            lengths[filled] = np.sqrt(np.add.reduceat(squares, counts.indptr[:-1][filled]))
            scale = np.repeat(lengths, np.diff(counts.indptr))
            counts.data = (data / scale).astype(np.float32)
        return counts

    def arrays(self, prefix: str) -> dict[str, npt.NDArray[Any]]:
        """The index as arrays named `prefix` + field; `settings` goes in a JSON card."""
        joined = np.frombuffer(self.terms.joined.encode("utf-8"), dtype=np.uint8)
        return {
            f"{prefix}terms": joined,
            f"{prefix}lengths": self.terms.lengths,
            f"{prefix}idf": self.idf,
        }

    def settings(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "analyzer": self.analyzer,
            "ngram_range": list(self.ngram_range),
            "sublinear_tf": self.sublinear_tf,
            "norm": self.norm,
            "token_pattern": self.token_pattern,
        }

    @classmethod
    def from_arrays(
        cls, settings: dict[str, Any], arrays: dict[str, npt.NDArray[Any]], prefix: str
    ) -> Self:
        low, high = settings["ngram_range"]
        return cls(
            name=str(settings["name"]),
            analyzer=str(settings["analyzer"]),
            ngram_range=(int(low), int(high)),
            terms=Terms(
                arrays[f"{prefix}terms"].tobytes().decode("utf-8"),
                np.asarray(arrays[f"{prefix}lengths"], dtype=np.int64),
            ),
            idf=np.asarray(arrays[f"{prefix}idf"], dtype=np.float32),
            sublinear_tf=bool(settings["sublinear_tf"]),
            norm=settings["norm"],
            token_pattern=str(settings["token_pattern"]),
        )


def encode_strings(strings: Sequence[str]) -> tuple[npt.NDArray[np.uint8], Ints]:
    """Strings as their UTF-8 bytes joined, and the length of each in characters."""
    terms = Terms.of(strings)
    return np.frombuffer(terms.joined.encode("utf-8"), dtype=np.uint8), terms.lengths


def decode_strings(joined: npt.NDArray[np.uint8], lengths: Ints) -> list[str]:
    return Terms(joined.tobytes().decode("utf-8"), np.asarray(lengths, dtype=np.int64)).strings()


def _columns(terms: list[str]) -> dict[str, int]:
    columns = {term: i for i, term in enumerate(terms)}
    if len(columns) != len(terms):
        repeated = [t for t, n in Counter(terms).items() if n > 1][:3]
        raise ValueError(f"repeated terms in the vocabulary: {repeated}")
    return columns


def _word_ngrams(pattern: re.Pattern[str], ngram_range: tuple[int, int]) -> Analyzer:
    """scikit-learn's word analyzer (no lowercasing, no stop words)."""
    low, high = ngram_range

    def analyze(text: str) -> Iterator[str]:
        tokens: list[str] = pattern.findall(text)
        grams = list(tokens) if low == 1 else []
        for n in range(max(low, 2), min(high, len(tokens)) + 1):
            grams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
        return iter(grams)

    return analyze


def _char_wb_ngrams(ngram_range: tuple[int, int]) -> Analyzer:
    """scikit-learn's `char_wb` analyzer: n-grams inside each space-padded word; a word
    shorter than n gives itself once, and no longer n-grams."""
    low, high = ngram_range

    def analyze(text: str) -> Iterator[str]:
        for word in text.split():
            padded = f" {word} "
            for n in range(low, high + 1):
                yield from (padded[i : i + n] for i in range(max(len(padded) - n + 1, 1)))
                if len(padded) <= n:
                    break

    return analyze


def _check_options(name: str, vectorizer: Any) -> None:
    """Raise ValueError unless `NgramIndex` computes exactly what `vectorizer` does."""
    wrong = {
        "analyzer": vectorizer.analyzer in ANALYZERS,
        "lowercase": not vectorizer.lowercase,
        "strip_accents": vectorizer.strip_accents is None,
        "preprocessor": vectorizer.preprocessor is None,
        "tokenizer": vectorizer.tokenizer is None,
        "stop_words": vectorizer.stop_words is None,
        "binary": not vectorizer.binary,
        "use_idf": bool(vectorizer.use_idf),
        "norm": vectorizer.norm in ("l2", None),
    }
    bad = [option for option, ok in wrong.items() if not ok]
    if bad:
        raise ValueError(f"{name}: cannot reproduce a vectorizer with these options: {bad}")
