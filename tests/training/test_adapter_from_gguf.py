import pytest

from training.adapter_from_gguf import peft_key

pytestmark = pytest.mark.fast


def test_gguf_lora_names_map_back_to_the_modules_peft_trains():
    assert peft_key("blk.3.attn_q.weight.lora_a") == "base_model.model.model.layers.3.self_attn.q_proj.lora_A.weight"
    assert peft_key("blk.17.ffn_down.weight.lora_b") == "base_model.model.model.layers.17.mlp.down_proj.lora_B.weight"
    with pytest.raises(ValueError):
        peft_key("blk.0.attn_norm.weight")
