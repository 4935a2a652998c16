"""Operations tooling: backups and verified restores, queue checks, secret rotation.

Everything here talks to the real services named by Settings (DATABASE_URL, REDIS_URL, the
object store); docs/RUNBOOK.md shows the commands that drive it.
"""
