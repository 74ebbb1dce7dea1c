import pytest


@pytest.fixture(scope="session")
def scorer():
    from backend.scoring import Scorer

    return Scorer()
