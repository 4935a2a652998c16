"""arq workers: one WorkerSettings per pipeline stage, plus maintenance (reconciler, relay)."""
