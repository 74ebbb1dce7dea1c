"""The fast loss must give the same loss and gradients as the stock causal-LM forward."""

import torch

from training.fast_loss import completion_loss


def tiny_gemma():
    from transformers import Gemma3ForCausalLM, Gemma3TextConfig

    config = Gemma3TextConfig(vocab_size=512, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                              num_attention_heads=2, num_key_value_heads=1, head_dim=32, sliding_window=16,
                              max_position_embeddings=128, attn_implementation="sdpa")
    torch.manual_seed(0)
    return Gemma3ForCausalLM(config).float()


def test_fast_loss_equals_stock_loss_and_gradients():
    model = tiny_gemma()
    ids = torch.randint(5, 512, (3, 20))
    mask = torch.ones_like(ids)
    mask[1, 15:] = 0  # padding
    labels = ids.clone()
    labels[:, :8] = -100  # prompt
    labels[mask == 0] = -100
    stock = model(input_ids=ids, attention_mask=mask, labels=labels).loss
    stock.backward()
    stock_grads = [p.grad.clone() for p in model.parameters() if p.grad is not None]
    model.zero_grad()
    fast, count = completion_loss(model, ids, mask, labels)
    fast.backward()
    fast_grads = [p.grad.clone() for p in model.parameters() if p.grad is not None]
    assert count == int((labels[:, 1:] != -100).sum())
    assert torch.allclose(fast, stock, atol=1e-5)
    for a, b in zip(stock_grads, fast_grads):
        assert torch.allclose(a, b, atol=1e-5)
