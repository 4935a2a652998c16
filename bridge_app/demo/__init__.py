"""Demo data written for the project (an invented meeting), used by `seed` and tests."""

from importlib.resources import files


def demo_transcript() -> bytes:
    """A statement-of-work negotiation between two invented companies, as WebVTT."""
    return files(__package__).joinpath("sow_kickoff.vtt").read_bytes()
