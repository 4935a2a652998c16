"""The core's tests. Those that start the command line in a subprocess or score the shared
evaluation data sets are marked `slow`, so `make unit` (`-m "not slow"`) stays in seconds."""

from __future__ import annotations

import pytest

_SLOW_MODULES = ("test_cli.py", "test_evaluation.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in _SLOW_MODULES and "tests/core/" in item.path.as_posix():
            item.add_marker(pytest.mark.slow)
