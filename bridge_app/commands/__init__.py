"""CLI sub-commands. Each module defines ``register(subparsers)``; cli.py discovers them."""
