"""Draft-and-verify decoding (backend/engines/draft_verify.py) against plain greedy, with the real model."""

from __future__ import annotations

import pytest

import numpy as np

from backend.engines.draft_verify import PromptLookup, sampling_probs, speculative_pick


@pytest.mark.fast
def test_lookup_drafts_the_source_continuation_after_the_last_tokens():
    lookup = PromptLookup([1, 2, 3, 4, 5, 6, 7])
    assert lookup.draft([9, 2, 3], 3) == [4, 5, 6]


@pytest.mark.fast
def test_lookup_resyncs_on_a_shorter_ngram_after_an_edit():
    lookup = PromptLookup([10, 11, 12, 13, 14, 15])
    # The model replaced 12 by 99, then wrote 13: copying resumes after 13.
    assert lookup.draft([10, 11, 99, 13], 2) == [14, 15]


@pytest.mark.fast
def test_lookup_prefers_the_repeat_nearest_to_where_copying_is():
    source = [5, 1, 2, 5, 3, 4, 5, 6, 7]
    lookup = PromptLookup(source, max_ngram=1)
    lookup.cursor = 6
    assert lookup.draft([5], 2) == [6, 7]


@pytest.mark.fast
def test_lookup_has_no_draft_for_unknown_tokens():
    assert PromptLookup([1, 2, 3]).draft([42], 4) == []


@pytest.mark.fast
@pytest.mark.parametrize("drafted", [None, 0, 2, 3])
def test_a_sampled_token_has_the_models_distribution_whatever_was_drafted(drafted):
    ids, probs = sampling_probs(np.log(np.array([0.5, 0.3, 0.15, 0.05], dtype=np.float32)), temperature=1.0, top_p=1.0)
    rng = np.random.default_rng(0)
    draws = np.bincount([speculative_pick(ids, probs, drafted, rng) for _ in range(20_000)], minlength=4) / 20_000
    assert np.abs(draws - [0.5, 0.3, 0.15, 0.05]).max() < 0.015


@pytest.mark.fast
def test_nucleus_keeps_the_smallest_likeliest_set_and_temperature_sharpens():
    logits = np.log(np.array([0.05, 0.5, 0.15, 0.3], dtype=np.float32))
    ids, probs = sampling_probs(logits, temperature=1.0, top_p=0.75)
    assert ids.tolist() == [1, 3] and np.allclose(probs, [0.5 / 0.8, 0.3 / 0.8])
    ids, probs = sampling_probs(logits, temperature=0.5, top_p=1.0)
    assert ids.tolist() == [1, 3, 2, 0] and probs[0] > 0.6
    rng = np.random.default_rng(0)
    assert {speculative_pick(*sampling_probs(logits, 1.0, 0.75), 0, rng) for _ in range(200)} == {1, 3}  # a cut token is never accepted


# --- with the real model ----------------------------------------------------------------------

EMAILS = [
    "Hi Sam,\nI has attached the report you ask for yesterday. Let me know if their are any issue.\nBest,\nDana",
    "Hello team,\nThe meeting is moved to Thursday at 3 pm in room 4B. Thanks for your patience.\nMaria",
    "John,\nSend me the invoice now. I told you three times already and nobody answered.\nMike",
    "Dear Mr. Patel,\nThank you for your quick reply. Could we schedule a call early next week to go "
    "through the payment terms? I am available Monday after 10 am.\nKind regards,\nLaura Chen",
]


@pytest.fixture(scope="module")
def engine_and_prompts():
    from backend import prompts
    from backend.config import Settings
    from backend.factory import build_proofreader
    from backend.proofreader import default_max_tokens
    from backend.scoring import NeutralScorer

    proofreader = build_proofreader(Settings(decoding="greedy", copy_margin=0.0), scorer=NeutralScorer())
    engine = proofreader.engine
    # Without the fine-tuned adapter the base model only copies when shown examples (few-shot).
    few_shot = engine.adapter_path is None
    rendered = []
    for email in EMAILS:
        turns = prompts.messages(email, NeutralScorer().score(email), few_shot=few_shot)
        prompt = prompts.render_prompt(turns, engine.chat_format)
        rendered.append((email, prompt, min(48, default_max_tokens(engine.count_tokens(email)))))
    return engine, rendered


def _generate(engine, decoding, email, prompt, max_tokens, **kwargs):
    engine.decoding = decoding
    return engine.generate(prompt, max_tokens=max_tokens, temperature=0.0, email=email, **kwargs)


# The rude email is a near-tie at its first token ("Please send" vs "Send"): it diverged while the
# first draft rode in the prompt's batch (bench/NOTES.md), and is the case that keeps that fixed.
@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(EMAILS)))
def test_draft_verify_output_is_identical_to_plain_greedy(engine_and_prompts, index):
    engine, rendered = engine_and_prompts
    email, prompt, max_tokens = rendered[index]
    greedy = _generate(engine, "greedy", email, prompt, max_tokens)
    fast = _generate(engine, "draft_verify", email, prompt, max_tokens)
    assert fast.text == greedy.text
    assert (fast.generated_tokens, fast.finish_reason) == (greedy.generated_tokens, greedy.finish_reason)


def test_copy_margin_keeps_drafted_tokens_the_model_ranks_close_and_zero_is_greedy(engine_and_prompts):
    engine, rendered = engine_and_prompts
    email, prompt, max_tokens = rendered[0]  # "I has attached ... you ask for ... their are any issue"
    greedy = _generate(engine, "greedy", email, prompt, max_tokens)
    # every drafted token is close enough: the email comes back as written
    copied = _generate(engine, "draft_verify", email, prompt, max_tokens, copy_margin=1e9)
    assert copied.text.strip() and email.startswith(copied.text.strip())
    assert greedy.text != copied.text
    # the margin was this call's only: the engine's own (the fixture's 0, exact greedy) is back
    assert _generate(engine, "draft_verify", email, prompt, max_tokens).text == greedy.text
    assert _generate(engine, "draft_verify", email, prompt, max_tokens, copy_margin=0.0).text == greedy.text


def test_sampling_is_reproducible_from_its_seed_and_near_zero_temperature_is_greedy(engine_and_prompts):
    engine, rendered = engine_and_prompts
    engine.decoding = "draft_verify"
    email, prompt, max_tokens = rendered[0]
    sample = [engine.generate(prompt, max_tokens=max_tokens, temperature=1.0, seed=seed, email=email).text for seed in (3, 3)]
    assert sample[0] == sample[1]
    greedy = engine.generate(prompt, max_tokens=max_tokens, temperature=0.0, email=email, copy_margin=0.0)
    assert engine.generate(prompt, max_tokens=max_tokens, temperature=1e-3, seed=5, email=email).text == greedy.text


def test_streamed_pieces_join_to_the_returned_text(engine_and_prompts):
    engine, rendered = engine_and_prompts
    email, prompt, max_tokens = rendered[0]
    pieces: list[str] = []
    result = _generate(engine, "draft_verify", email, prompt, max_tokens, on_token=pieces.append)
    assert "".join(pieces) == result.text and len(pieces) > 1


def test_token_limit_is_exact(engine_and_prompts):
    engine, rendered = engine_and_prompts
    email, prompt, _ = rendered[1]
    result = _generate(engine, "draft_verify", email, prompt, 5)
    assert result.generated_tokens <= 5
    if result.finish_reason == "length":
        assert result.generated_tokens == 5


def test_cancellation_stops_and_leaves_the_cache_usable(engine_and_prompts):
    from backend.types import Cancelled

    engine, rendered = engine_and_prompts
    email, prompt, max_tokens = rendered[2]
    reference = _generate(engine, "greedy", email, prompt, max_tokens)
    calls = []
    with pytest.raises(Cancelled):
        _generate(engine, "draft_verify", email, prompt, max_tokens, cancelled=lambda: calls.append(1) or len(calls) > 3)
    assert len(calls) == 4  # checked before every token, as in plain decoding
    import llama_cpp

    # draft_verify's one-thread single steps end with it: plain greedy gets both threads back.
    assert llama_cpp.llama_n_threads(engine.llm.ctx) == engine.llm.context_params.n_threads
    again = _generate(engine, "greedy", email, prompt, max_tokens)
    assert again.text == reference.text


def test_switching_methods_keeps_the_shared_cache_consistent(engine_and_prompts):
    engine, rendered = engine_and_prompts
    (email_a, prompt_a, max_a), (email_b, prompt_b, max_b) = rendered[0], rendered[3]
    first = _generate(engine, "greedy", email_a, prompt_a, max_a)
    _generate(engine, "draft_verify", email_b, prompt_b, max_b)
    assert _generate(engine, "greedy", email_a, prompt_a, max_a).text == first.text
    # The whole prompt is cached now: draft_verify must still produce the same continuation.
    same = _generate(engine, "draft_verify", email_a, prompt_a, max_a)
    assert _generate(engine, "draft_verify", email_a, prompt_a, max_a).text == same.text


def test_the_fixed_instruction_is_reused_across_emails(engine_and_prompts):
    engine, rendered = engine_and_prompts
    for email, prompt, _ in rendered[:2]:
        _generate(engine, "draft_verify", email, prompt, 4)
    from backend.prompts import INSTRUCTION

    stats = engine._draft_verifier().stats
    instruction = len(engine.llm.tokenize(INSTRUCTION.encode(), add_bos=False))
    assert stats.prompt_tokens_reused >= instruction
    assert stats.prompt_tokens_evaluated <= len(engine.llm.tokenize(rendered[1][1].encode(), add_bos=True, special=True)) - instruction


# Under 256 cells any single step matches a batch; past them, a single step on two threads splits its
# attention into two parts, and only on one thread (as the decoder runs them) does it match.
@pytest.mark.parametrize("length, single_step_threads", [(200, None), (420, 1)])
def test_a_verify_batch_computes_the_same_logits_as_single_steps(engine_and_prompts, length, single_step_threads):
    """Why the output is greedy's bit for bit: flash attention and batches under 64 tokens use the
    attention kernel a single step uses (without flash attention the logits differ by ~0.7, from 64
    tokens on by ~1, and with two-thread single steps past 256 cells by ~0.7; bench/NOTES.md)."""
    import ctypes

    import llama_cpp
    import numpy as np

    from backend.engines.draft_verify import MAX_VERIFY_BATCH

    engine, rendered = engine_and_prompts
    llm = engine.llm
    ids = llm.tokenize(rendered[3][1].encode(), add_bos=True, special=True)
    ids = (ids * 4)[:length]
    batch = llama_cpp.llama_batch_init(MAX_VERIFY_BATCH, 0, 1)
    memory = llama_cpp.llama_get_memory(llm.ctx)
    params = llm.context_params
    llama_cpp.llama_set_n_threads(llm.ctx, single_step_threads or params.n_threads, params.n_threads_batch)

    def decode(tokens, start):
        batch.n_tokens = len(tokens)
        for i, token in enumerate(tokens):
            batch.token[i], batch.pos[i], batch.n_seq_id[i], batch.seq_id[i][0], batch.logits[i] = token, start + i, 1, 0, True
        assert llama_cpp.llama_decode(llm.ctx, batch) == 0
        pointer = llama_cpp.llama_get_logits(llm.ctx)  # every requested row, in batch order
        rows = np.ctypeslib.as_array(ctypes.cast(pointer, ctypes.POINTER(ctypes.c_float)), shape=(len(tokens) * llm.n_vocab(),))
        return rows.reshape(len(tokens), llm.n_vocab()).copy()

    def logits(sizes, prefix=40):
        llama_cpp.llama_memory_clear(memory, True)
        decode(ids[:prefix], 0)
        rows, position, turn = [], prefix, 0
        while position < len(ids):
            size = sizes[turn % len(sizes)]
            rows.append(decode(ids[position : position + size], position))
            position, turn = position + size, turn + 1
        return np.concatenate(rows)

    try:
        single = logits([1])
        assert np.array_equal(logits([2, 7, 16, MAX_VERIFY_BATCH]), single)
    finally:
        llama_cpp.llama_batch_free(batch)
        llama_cpp.llama_set_n_threads(llm.ctx, params.n_threads, params.n_threads_batch)
        llama_cpp.llama_memory_clear(memory, True)
        llm.n_tokens = 0  # the engine's cache bookkeeping starts over


LONG_EMAIL = (
    "Hi Priya,\n\nThank you for sending the draft contract on Tuesday. I have went through it with our legal team "
    "and we have a few questions before we can sign. First, the payment terms in section 4 says 45 days, but "
    "our agreement on the call was 30 days. Could you check this with your finance department? Second, the "
    "delivery schedule do not mention the penalty for late shipments that we discussed. We would like it to be "
    "included, even if the amount is small. Third, the contact person for support is still listed as Mark, who "
    "has left the company last month.\n\nApart from that, everything look fine and we are happy with the price. "
    "If you can send an updated version by Friday, we can sign it early next week and start the first order "
    "in December as planned.\n\nBest regards,\nTom"
)


def _run(decoder, engine, prompt, email, max_tokens):
    ids, start = engine.tokenize_prompt(prompt, email)
    out = []
    for token in decoder.tokens(ids, max_tokens, copy_from=start):
        if token in engine.stop_ids or len(out) >= max_tokens:
            break
        out.append(token)
    return ids, out


def test_draft_verify_is_exactly_one_kernel_greedy_past_512_cells(engine_and_prompts):
    """Past 256 used cells a single step on two threads would split its attention (bench/NOTES.md);
    the decoder's single steps run on one thread, so drafting must not change a single token of
    step-by-step greedy computed the same way (`max_draft=0`)."""
    from backend import prompts
    from backend.engines.draft_verify import DraftVerifyDecoder
    from backend.scoring import NeutralScorer

    engine, _ = engine_and_prompts
    prompt = prompts.render_prompt(prompts.messages(LONG_EMAIL, NeutralScorer().score(LONG_EMAIL)), engine.chat_format)
    ids, fast = _run(engine._draft_verifier(), engine, prompt, LONG_EMAIL, 260)
    assert engine._draft_verifier().stats.accepted > 50  # it did draft
    step_by_step = DraftVerifyDecoder(engine.llm, max_draft=0)
    try:
        _, reference = _run(step_by_step, engine, prompt, LONG_EMAIL, 260)
    finally:
        step_by_step.close()
    assert len(ids) + len(reference) > 300
    assert fast == reference
