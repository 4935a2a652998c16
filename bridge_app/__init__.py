"""AI Meeting Contract Bridge: meeting transcripts in, traceable contracts out."""

__version__ = "0.1.0"
