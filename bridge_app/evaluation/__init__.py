"""Evaluation runners that read annotated folders (I/O); scoring lives in bridge_app/core."""
