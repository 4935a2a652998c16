"""The pipeline's stage bodies, one module per stage, and the transaction they share.

A stage body is `run(tx, subject_id, version) -> NextJob | None`: synchronous (the arq job
runs it in a thread) and idempotent. It checks the subject's state first, replaces its own
results for the input version, and writes the results, the new status, a `stage_runs` row and
an outbox row through `tx` (a `StageTransaction`: ONE database transaction, opened by the
caller). It returns the next job to enqueue (or None); enqueueing happens after the commit,
and a lost enqueue is repaired by the reconciler. Because the caller opens the transaction, a
stage runs the same under an arq worker (`jobs.common`) and in a test with a plain session.

Modules: `transaction` (the shared skeleton), `transcript`, `decision`, `draft`, `qa`,
`export` (the bodies), `runner` (the body per stage, start and failure bookkeeping, retries).
"""
