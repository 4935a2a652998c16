"""One synthesised negotiation per test session (espeak-ng is quick; the model load is not)."""

from __future__ import annotations

import pytest

from tests import speech


@pytest.fixture(scope="session")
def negotiation() -> speech.Conversation:
    return speech.conversation()
