"""`incitement.transformers.v1` over a tiny, randomly initialised BERT built here (no download):
the contract, fine-tuning, the head over marsad's labels, safetensors, explanations, and the
errors for a missing model folder or a missing extra."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from marsad.classify.checks import check_classifier, tiny_dataset
from marsad.classify.labels import LABELS
from marsad.classify.models import classifier_class, load_classifier
from marsad.classify.models.rule import default_thresholds
from marsad.classify.models.storage import write_card
from marsad.classify.models.transformers_backend import TransformersClassifier

HAS_TORCH = all(importlib.util.find_spec(m) for m in ("torch", "transformers", "tokenizers"))
needs_torch = pytest.mark.skipif(
    not HAS_TORCH, reason="torch is not installed: pip install 'marsad[transformers]'"
)


# Run in a fresh interpreter: every import of torch fails there, as on an install without
# the extra (the finder runs before the installed package is found).
BLOCK_TORCH = """
import sys
class NoTorch:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "torch":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, NoTorch())
from marsad.classify.models import load_classifier
"""


def build_tiny_model(folder: Path, id2label: dict[int, str] | None = None) -> Path:
    """A 1-layer BERT (hidden 64) with a WordPiece vocabulary learned from the tiny data."""
    import torch
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.train_from_iterator(
        tiny_dataset()[0], trainers.WordPieceTrainer(vocab_size=300, special_tokens=specials)
    )
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        special_tokens=[("[CLS]", tok.token_to_id("[CLS]")), ("[SEP]", tok.token_to_id("[SEP]"))],
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        model_max_length=64,
        pad_token="[PAD]",
        unk_token="[UNK]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
    )
    head: dict[str, Any] = {}
    if id2label is not None:
        head = {"id2label": id2label, "label2id": {v: k for k, v in id2label.items()}}
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
        **head,
    )
    torch.manual_seed(7)
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("tiny-bert"))


@pytest.fixture(scope="module")
def trained(tiny_model_dir: Path) -> TransformersClassifier:
    texts, labels, langs = tiny_dataset()
    model = TransformersClassifier(str(tiny_model_dir), epochs=15, learning_rate=3e-3, seed=1)
    return model.fit(texts, labels, langs)


def accuracy(model: TransformersClassifier) -> float:
    texts, labels, langs = tiny_dataset()
    predicted = model.predict(texts, langs)
    return float(np.mean([a == b for a, b in zip(predicted, labels, strict=True)]))


@needs_torch
def test_a_local_model_folder_passes_the_contract_check(tiny_model_dir: Path) -> None:
    check_classifier(TransformersClassifier(str(tiny_model_dir), epochs=2, batch_size=8))


@needs_torch
def test_fine_tuning_learns_the_tiny_data(
    tiny_model_dir: Path, trained: TransformersClassifier
) -> None:
    texts, labels, langs = tiny_dataset()
    untrained = TransformersClassifier(str(tiny_model_dir), epochs=0).fit(texts, labels, langs)
    assert accuracy(untrained) < 0.6
    assert accuracy(trained) >= 0.9


@needs_torch
def test_the_same_seed_gives_the_same_model(tiny_model_dir: Path) -> None:
    texts, labels, langs = tiny_dataset()
    runs = [
        TransformersClassifier(str(tiny_model_dir), epochs=1, seed=3).fit(texts, labels, langs)
        for _ in range(2)
    ]
    assert np.array_equal(runs[0].predict_proba(texts), runs[1].predict_proba(texts))


@needs_torch
def test_a_head_that_already_has_marsad_labels_keeps_its_order(tmp_path: Path) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    own_order = dict(enumerate(reversed(LABELS)))
    folder = build_tiny_model(tmp_path / "m", id2label=own_order)
    texts, labels, langs = tiny_dataset()
    model = TransformersClassifier(str(folder), epochs=0).fit(texts, labels, langs)
    assert model.model_.config.id2label == own_order
    bert = AutoModelForSequenceClassification.from_pretrained(folder).eval()
    batch = AutoTokenizer.from_pretrained(folder)(texts[:5], padding=True, return_tensors="pt")
    with torch.inference_mode():
        direct = torch.softmax(bert(**batch).logits.double(), dim=1).numpy()
    assert np.allclose(model.predict_proba(texts[:5]), direct[:, ::-1], atol=1e-6)


@needs_torch
def test_a_foreign_head_is_replaced_by_one_over_marsad_labels(
    trained: TransformersClassifier,
) -> None:
    assert trained.model_.config.id2label == dict(enumerate(LABELS))
    assert trained.label_columns_ == [0, 1, 2, 3]


@needs_torch
def test_it_saves_safetensors_and_tokenizer_files_and_loads_by_its_key(
    trained: TransformersClassifier, tiny_model_dir: Path, tmp_path: Path
) -> None:
    trained.save(tmp_path / "m", {"training": {"rows": 117}})
    names = {p.name for p in (tmp_path / "m").iterdir()}
    assert {"model.safetensors", "tokenizer.json", "config.json", "model.json"} <= names
    assert not {n for n in names if n.endswith((".bin", ".pt", ".pkl"))}
    loaded = load_classifier(tmp_path / "m")
    assert isinstance(loaded, TransformersClassifier)
    texts, _, langs = tiny_dataset()
    assert np.array_equal(loaded.predict_proba(texts, langs), trained.predict_proba(texts, langs))
    assert loaded.model_dir == str(tiny_model_dir)


@needs_torch
def test_each_word_weight_is_the_fall_of_the_label_probability_without_it(
    trained: TransformersClassifier,
) -> None:
    text = "Kill the Zorbanians tonight and burn their homes"
    explanation = trained.explain(text, "en", top=3)
    column = LABELS.index(explanation.label)
    assert len(explanation.contributions) == 3
    for contribution in explanation.contributions:
        word = contribution.feature.removeprefix('word:"').removesuffix('"')
        without = " ".join(w for w in text.split() if w != word)
        fall = explanation.scores[explanation.label] - trained.predict_proba([without])[0, column]
        assert contribution.weight == pytest.approx(fall, abs=1e-5)
    weights = [c.weight for c in explanation.contributions]
    assert weights == sorted(weights, reverse=True)


@needs_torch
def test_a_missing_model_dir_is_named_in_the_error(tmp_path: Path) -> None:
    texts, labels, langs = tiny_dataset()
    missing = tmp_path / "no-such-model"
    with pytest.raises(FileNotFoundError, match=str(missing)):
        TransformersClassifier(str(missing)).fit(texts, labels, langs)


@needs_torch
def test_a_folder_without_a_model_config_is_refused(tmp_path: Path) -> None:
    texts, labels, langs = tiny_dataset()
    with pytest.raises(ValueError, match=r"no config\.json"):
        TransformersClassifier(str(tmp_path)).fit(texts, labels, langs)


def test_the_key_is_registered_and_imports_without_torch() -> None:
    assert classifier_class("incitement.transformers.v1") is TransformersClassifier


def test_loading_without_torch_names_the_extra(tmp_path: Path) -> None:
    model = TransformersClassifier()
    card = {
        "key": model.key,
        "labels": list(LABELS),
        "languages": ["en"],
        "thresholds": default_thresholds(["en"]),
        "hyperparameters": model.get_params(),
    }
    write_card(tmp_path, card)
    script = BLOCK_TORCH + f"load_classifier({str(tmp_path)!r})\n"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode != 0
    assert "ImportError: the transformers classifier needs the transformers extra" in done.stderr
    assert "pip install 'marsad[transformers]'" in done.stderr
