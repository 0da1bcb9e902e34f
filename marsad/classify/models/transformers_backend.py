"""`incitement.transformers.v1`: a local Hugging Face model fine-tuned on marsad's labels.

`model_dir` is a folder on this machine holding a sequence-classification (or plain encoder)
model and its tokenizer, as `save_pretrained` writes them; marsad never downloads one
(`local_files_only=True`, `HF_HUB_OFFLINE=1`). `fit` fine-tunes it on the examples on the CPU
(AdamW with a linear warm-up and decay; cross-entropy weighted like
`class_weight="balanced"`) with a head over `LABELS`: a head whose labels already are exactly
marsad's is kept in its own order, any other is replaced by a new one. With `epochs=0` a model
already fine-tuned on marsad's labels is used as it is. The learning rate, when None, is 5e-5
with a `model_dir` and 1e-3 without one. Without `model_dir`, `fit` trains a small BERT from
scratch, with a WordPiece vocabulary learned from the training texts: enough for tests and
experiments, far weaker than a pretrained model.

Decisions follow the per-language threshold rule (`ThresholdRule`); `explain` leaves one word
out at a time. `save` writes the weights as safetensors, the tokenizer files and `model.json`.
It needs the optional extra: `pip install 'marsad[transformers]'` (PyTorch; its CPU build is
enough).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from marsad.classify.base import Explanation
from marsad.classify.labels import LABELS, LANGUAGES
from marsad.classify.models.decision import decide, resolve_langs, route_of
from marsad.classify.models.occlusion import word_occlusion
from marsad.classify.models.rule import ThresholdRule, check_training_data, default_thresholds
from marsad.classify.models.storage import (
    check_card_key,
    model_card,
    params_from_json,
    read_card,
    write_card,
)

__all__ = ["EXTRA_HINT", "SCRATCH", "TransformersClassifier"]

EXTRA_HINT = "pip install 'marsad[transformers]'"
SCRATCH = "scratch"  # the card's base model when there was no model_dir
WEIGHT_DECAY = 0.01
WARMUP = 0.1  # share of the steps over which the learning rate rises, before it falls to 0
FINE_TUNING_RATE = 5e-5  # the learning rate when it is None and there is a model_dir
SCRATCH_RATE = 1e-3  # ... and when there is none
# The small BERT trained when there is no model_dir.
SCRATCH_VOCAB = 8000
SCRATCH_HIDDEN = 128
SCRATCH_LAYERS = 2
SCRATCH_HEADS = 2
SPECIAL_TOKENS = {
    "pad_token": "[PAD]",
    "unk_token": "[UNK]",
    "cls_token": "[CLS]",
    "sep_token": "[SEP]",
    "mask_token": "[MASK]",
}


def _transformers() -> Any:
    """The `transformers` module, offline; ImportError naming the extra when it is missing."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import torch  # noqa: F401
        import transformers as module
    except ImportError as exc:
        raise ImportError(
            f"the transformers classifier needs the transformers extra: {EXTRA_HINT} ({exc})"
        ) from exc
    transformers: Any = module
    transformers.utils.logging.disable_progress_bar()
    return transformers


def _torch() -> Any:
    _transformers()
    import torch

    return torch


def _check_model_dir(model_dir: str) -> Path:
    path = Path(model_dir)
    if not path.is_dir():
        raise FileNotFoundError(f"model_dir {path} does not exist or is not a folder")
    if not (path / "config.json").is_file():
        raise ValueError(f"model_dir {path} is not a Hugging Face model folder: no config.json")
    return path


def _marsad_head(config: Any) -> list[int] | None:
    """The head's output of each of `LABELS`, when its labels are exactly marsad's."""
    label2id = {str(k): int(v) for k, v in (getattr(config, "label2id", None) or {}).items()}
    if set(label2id) != set(LABELS) or len(set(label2id.values())) != len(LABELS):
        return None
    return [label2id[label] for label in LABELS]


def _label_columns(model: Any, where: object) -> list[int]:
    columns = _marsad_head(model.config)
    if columns is None:
        raise ValueError(f"{where}: the model's head does not name marsad's labels")
    return columns


def _load_pretrained(folder: Path) -> tuple[Any, Any]:
    """(model, tokenizer) of a local folder, with a head over marsad's labels."""
    tf = _transformers()
    try:
        tokenizer = tf.AutoTokenizer.from_pretrained(folder, local_files_only=True)
        config = tf.AutoConfig.from_pretrained(folder, local_files_only=True)
        head: dict[str, Any] = {}
        if _marsad_head(config) is None:
            head = {
                "num_labels": len(LABELS),
                "id2label": dict(enumerate(LABELS)),
                "label2id": {label: i for i, label in enumerate(LABELS)},
                "ignore_mismatched_sizes": True,
            }
        model = tf.AutoModelForSequenceClassification.from_pretrained(
            folder, local_files_only=True, **head
        )
    except (OSError, ValueError) as exc:
        raise ValueError(f"{folder}: cannot load the model or its tokenizer: {exc}") from exc
    return model, tokenizer


def _scratch_tokenizer(texts: Sequence[str], max_length: int) -> Any:
    """A WordPiece tokenizer learned from the texts, as a transformers fast tokenizer."""
    tf = _transformers()
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(
        handle_chinese_chars=False, strip_accents=True, lowercase=True
    )
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(
        vocab_size=SCRATCH_VOCAB, special_tokens=list(SPECIAL_TOKENS.values())
    )
    tok.train_from_iterator(texts, trainer)
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls), ("[SEP]", sep)],
    )
    return tf.PreTrainedTokenizerFast(
        tokenizer_object=tok, model_max_length=max_length, **SPECIAL_TOKENS
    )


def _scratch_model(tokenizer: Any, max_length: int) -> Any:
    tf = _transformers()
    config = tf.BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=SCRATCH_HIDDEN,
        num_hidden_layers=SCRATCH_LAYERS,
        num_attention_heads=SCRATCH_HEADS,
        intermediate_size=4 * SCRATCH_HIDDEN,
        max_position_embeddings=max_length,
        pad_token_id=tokenizer.pad_token_id,
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id={label: i for i, label in enumerate(LABELS)},
    )
    return tf.BertForSequenceClassification(config)


def _balanced_weights(y: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
    """n / (k * count) per label, as scikit-learn's class_weight="balanced" (0 when absent)."""
    counts = np.bincount(y, minlength=len(LABELS)).astype(np.float64)
    present = counts > 0
    weights = np.zeros(len(LABELS))
    weights[present] = len(y) / (present.sum() * counts[present])
    return weights.astype(np.float32)


def _clean(texts: Sequence[str]) -> list[str]:
    return [" ".join(text.split()) for text in texts]


class TransformersClassifier(ThresholdRule, BaseEstimator):  # type: ignore[misc]
    key = "incitement.transformers.v1"

    def __init__(
        self,
        model_dir: str | None = None,
        languages: tuple[str, ...] = LANGUAGES,
        epochs: int = 3,
        learning_rate: float | None = None,
        batch_size: int = 16,
        max_length: int = 128,
        seed: int = 0,
    ) -> None:
        self.model_dir = model_dir
        self.languages = languages
        self.epochs = epochs
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_length = max_length
        self.seed = seed

    def fit(
        self, texts: Sequence[str], labels: Sequence[str], langs: Sequence[str] | None = None
    ) -> Self:
        check_training_data(texts, labels)
        langs = resolve_langs(texts, langs)
        clean = _clean(texts)
        torch = _torch()
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(self.seed)
            self.model_, self.tokenizer_ = self._base_model(clean)
            self.label_columns_ = _label_columns(self.model_, self.model_dir or SCRATCH)
            y = np.array([self.label_columns_[LABELS.index(x)] for x in labels], dtype=np.int64)
            self._fine_tune(clean, y)
        self.model_.eval()
        self.languages_ = [lang for lang in self.languages if lang in set(langs)]
        self.thresholds_ = default_thresholds(self.languages_)
        return self

    def _base_model(self, texts: Sequence[str]) -> tuple[Any, Any]:
        if self.model_dir is None:
            tokenizer = _scratch_tokenizer(texts, self.max_length)
            return _scratch_model(tokenizer, self.max_length), tokenizer
        return _load_pretrained(_check_model_dir(self.model_dir))

    def _fine_tune(self, texts: list[str], y: npt.NDArray[np.int64]) -> None:
        torch = _torch()
        model = self.model_
        rate = self.learning_rate
        if rate is None:
            rate = SCRATCH_RATE if self.model_dir is None else FINE_TUNING_RATE
        optimizer = torch.optim.AdamW(model.parameters(), lr=rate, weight_decay=WEIGHT_DECAY)
        steps = self.epochs * -(-len(texts) // self.batch_size)
        schedule = _transformers().get_linear_schedule_with_warmup(
            optimizer, int(WARMUP * steps), max(steps, 1)
        )
        loss_fn = torch.nn.CrossEntropyLoss(weight=torch.from_numpy(self._head_weights(y)))
        order_rng = np.random.default_rng(self.seed)
        model.train()
        for _ in range(self.epochs):
            order = order_rng.permutation(len(texts))
            for start in range(0, len(texts), self.batch_size):
                rows = order[start : start + self.batch_size]
                logits = model(**self._encode([texts[i] for i in rows])).logits
                loss = loss_fn(logits, torch.from_numpy(y[rows]))
                loss.backward()
                optimizer.step()
                schedule.step()
                optimizer.zero_grad()

    def _head_weights(self, y: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        """Balanced weights of marsad's labels, placed at their outputs of the head."""
        by_label = _balanced_weights(np.array([self.label_columns_.index(int(v)) for v in y]))
        weights = np.zeros(int(self.model_.config.num_labels), dtype=np.float32)
        weights[self.label_columns_] = by_label
        return weights

    def _encode(self, texts: list[str]) -> Any:
        limit = min(self.max_length, int(self.tokenizer_.model_max_length))
        return self.tokenizer_(
            texts, padding=True, truncation=True, max_length=limit, return_tensors="pt"
        )

    def predict_proba(
        self, texts: Sequence[str], langs: Sequence[str] | None = None
    ) -> npt.NDArray[np.float64]:
        """P(label) per text, columns in `LABELS` order; rows sum to 1."""
        check_is_fitted(self, "model_")
        if langs is not None and len(langs) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(langs)} languages")
        torch = _torch()
        clean = _clean(texts)
        parts = [np.zeros((0, len(LABELS)))]
        with torch.inference_mode():
            for start in range(0, len(clean), self.batch_size):
                logits = self.model_(**self._encode(clean[start : start + self.batch_size])).logits
                parts.append(logits.double().numpy()[:, self.label_columns_])
        scores = np.vstack(parts)
        scores = np.exp(scores - scores.max(axis=1, keepdims=True, initial=-np.inf))
        return np.asarray(scores / scores.sum(axis=1, keepdims=True), dtype=np.float64)

    def explain(self, text: str, lang: str | None = None, top: int = 10) -> Explanation:
        """The predicted label and the words whose removal lowers its probability most."""
        lang = lang if lang is not None else resolve_langs([text], None)[0]
        proba = self.predict_proba([text], [lang])
        label = decide(proba, [route_of(lang, self.languages_)], self.thresholds_)[0]
        _, contributions = word_occlusion(self.predict_proba, text, lang, label, top)
        scores = {name: float(p) for name, p in zip(LABELS, proba[0], strict=True)}
        return Explanation(label, scores, lang, contributions)

    def save(self, folder: Path, card: dict[str, Any] | None = None) -> None:
        """safetensors weights, the tokenizer files and `model.json`."""
        check_is_fitted(self, "model_")
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.model_.save_pretrained(folder)  # safetensors, the default of transformers >= 4.35
        self.tokenizer_.save_pretrained(folder)
        unsafe = sorted(p.name for p in folder.iterdir() if p.suffix in (".bin", ".pt", ".pth"))
        if unsafe or not any(folder.glob("*.safetensors")):
            raise RuntimeError(f"{folder}: weights were not saved as safetensors ({unsafe})")
        full = model_card(self, self.get_params(), card)
        full.setdefault("base_model", self.model_dir or SCRATCH)
        write_card(folder, full)

    @classmethod
    def load(cls, folder: Path) -> Self:
        folder = Path(folder)
        card = read_card(folder)
        check_card_key(card, cls.key, folder)
        model = cls(**params_from_json(card["hyperparameters"]))
        model.model_, model.tokenizer_ = _load_pretrained(folder)
        model.model_.eval()
        model.label_columns_ = _label_columns(model.model_, folder)
        model.languages_ = list(card["languages"])
        model.thresholds_ = {k: float(v) for k, v in card["thresholds"].items()}
        return model
