import pytest

from backend.model_files import base_model_path

pytestmark = pytest.mark.fast


def test_both_embedded_base_models_are_found_offline():
    for base in ("gemma3-270m", "smollm2-135m"):
        path = base_model_path(base)
        assert path.suffix == ".gguf" and path.stat().st_size > 50_000_000
