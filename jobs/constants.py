"""Worker tuning in one place."""

import os

from bridge_app.services.compute import cpu_count

# Small, so a job lost with its worker is re-run quickly (arq re-runs after timeout + 10 s).
JOB_TIMEOUT_S = int(os.environ.get("BRIDGE_JOB_TIMEOUT_S", "30"))
# Bounded retries for transient failures (database, storage, NATS, LLM endpoint).
MAX_TRIES = int(os.environ.get("BRIDGE_MAX_TRIES", "5"))
RETRY_BASE_S = 0.5
RETRY_CAP_S = 10.0
# Outages (database, Redis, storage down) are retried for this long — longer than a database
# restart or failover — before a job gives up; MAX_TRIES still bounds unexpected errors.
TRANSIENT_RETRY_WINDOW_S = float(os.environ.get("BRIDGE_TRANSIENT_RETRY_WINDOW_S", "300"))
TRANSIENT_MAX_TRIES = max(
    MAX_TRIES,
    next(
        n
        for n in range(1, 10_000)
        if sum(min(RETRY_BASE_S * 2 ** (k - 1), RETRY_CAP_S) for k in range(1, n + 1))
        >= TRANSIENT_RETRY_WINDOW_S
    ),
)
# How long a shutting-down worker lets running jobs finish (pod grace period must exceed it).
JOB_COMPLETION_WAIT_S = 25
# Latency matters more than Redis load here: one-hour meetings finish in about a second.
POLL_DELAY_S = float(os.environ.get("BRIDGE_POLL_DELAY_S", "0.05"))
HEALTH_CHECK_INTERVAL_S = 5
# Jobs one worker runs at once: enough to keep every core of its compute pool busy while other
# jobs wait on the database, few enough that a burst queues in Redis (first come, first
# served) instead of slowing every running job down (arq's default is 10).
MAX_JOBS = int(os.environ.get("BRIDGE_MAX_JOBS", "0")) or 2 * max(1, cpu_count())
# Reconciler: a meeting untouched this long with no job in Redis is re-enqueued.
RECONCILE_EVERY_S = int(os.environ.get("BRIDGE_RECONCILE_EVERY_S", "2"))
# Short: enqueueing is idempotent (deterministic job ids), and a killed worker's job is found
# sooner still through its lease (services/leases.py).
STUCK_AFTER_S = float(os.environ.get("BRIDGE_STUCK_AFTER_S", "10"))
# Availability SLO: the required dependencies are probed and the answer recorded this often.
PROBE_EVERY_S = int(os.environ.get("BRIDGE_PROBE_EVERY_S", "30"))
# Worker metrics/health ports are 8000 + stage index; tests shift them to avoid clashes.
PORT_OFFSET = int(os.environ.get("BRIDGE_WORKER_PORT_OFFSET", "0"))
