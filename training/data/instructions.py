"""General instruction data mixed in so the model keeps following instructions: Alpaca JSON
(`instruction`, `input`, `output`; the stand-in for FineTome-100k) and the ShareGPT / FineTome
schema (`conversations: [{from, value}]`)."""

from __future__ import annotations

import json

from training.data.common import data_path, require

_ROLES = {"human": "user", "user": "user", "gpt": "assistant", "assistant": "assistant", "model": "assistant", "system": "system"}


def load_alpaca(path=None) -> list[list[dict]]:
    with open(require(path or data_path("instruct", "alpaca_5000.json")), encoding="utf-8") as handle:
        rows = json.load(handle)
    chats = []
    for row in rows:
        prompt = row["instruction"].strip()
        if row.get("input", "").strip():
            prompt += "\n\n" + row["input"].strip()
        chats.append([{"role": "user", "content": prompt}, {"role": "assistant", "content": row["output"].strip()}])
    return chats


def sharegpt_to_turns(conversations: list[dict]) -> list[dict]:
    """ShareGPT/FineTome turns -> chat turns; a system prompt is folded into the first user turn
    (the Gemma turn format has no system role)."""
    turns, system = [], ""
    for turn in conversations:
        role = _ROLES[turn["from"]]
        text = turn["value"].strip()
        if role == "system":
            system = text
            continue
        if role == "user" and system:
            text, system = f"{system}\n\n{text}", ""
        turns.append({"role": role, "content": text})
    while turns and turns[-1]["role"] != "assistant":
        turns.pop()
    return turns


def load_sharegpt(path=None) -> list[list[dict]]:
    with open(require(path or data_path("instruct", "sharegpt_format_example.json")), encoding="utf-8") as handle:
        rows = json.load(handle)
    if isinstance(rows, dict):
        rows = rows.get("data", rows.get("train", []))
    return [t for t in (sharegpt_to_turns(r["conversations"]) for r in rows) if t]
