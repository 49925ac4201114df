from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def read_exact(path: Path) -> str:
    """The file's text with its line endings untouched (no universal newlines)."""
    return path.read_bytes().decode("utf-8")
