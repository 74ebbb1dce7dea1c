"""Completion-only causal-LM loss that runs the 262k-vocabulary output layer only where it counts.

Gemma 3 270M's tied output layer (640 x 262,144) is ~60% of the forward compute per token. A stock
causal-LM forward projects every position (prompt, padding) and trl additionally computes entropy
and top-1 accuracy over the full vocabulary at each step. Here the transformer body runs once,
the hidden states are gathered at the (shifted) positions whose label is not -100, and only those
rows go through lm_head + cross-entropy. The loss is mathematically identical (same tokens, same
normalisation), which `tests/training/test_fast_loss.py` checks against the stock forward."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def causal_lm_parts(model):
    """(body, lm_head, config) of a causal LM, looking through a peft wrapper."""
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    return base.model, base.lm_head, base.config


def completion_loss(model, input_ids, attention_mask, labels, num_items_in_batch=None):
    """Sum of token cross-entropies at label positions, divided by `num_items_in_batch` (the number
    of label tokens across the accumulated batch) or by this batch's count. Returns (loss, n_tokens)."""
    body, lm_head, config = causal_lm_parts(model)
    hidden = body(input_ids=input_ids, attention_mask=attention_mask, use_cache=False).last_hidden_state
    targets = labels[:, 1:]
    keep = targets != -100
    selected = hidden[:, :-1][keep]
    logits = lm_head(selected).float()
    softcap = getattr(config, "final_logit_softcapping", None)
    if softcap:
        logits = torch.tanh(logits / softcap) * softcap
    total = F.cross_entropy(logits, targets[keep], reduction="sum")
    count = keep.sum()
    divisor = num_items_in_batch if num_items_in_batch is not None else count.clamp(min=1)
    if isinstance(divisor, torch.Tensor):
        divisor = divisor.to(total.device)
    return total / divisor, int(count)
