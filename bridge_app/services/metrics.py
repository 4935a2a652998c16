"""Prometheus metrics, defined once (re-importing the app must not re-register them).

Names follow the runbook: http_requests_total, slo_error_budget_remaining, db_connections,
nats_queue_depth. Histograms carry a bucket exactly at each SLO threshold.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

# SLO thresholds in seconds (runbook): meeting processing, draft generation, export.
SLO_THRESHOLDS = {"meetingProcessing": 30.0, "draftGeneration": 12.0, "export": 5.0}
AVAILABILITY_TARGET = 0.9995
SLO_TARGET_FRACTION = {"meetingProcessing": 0.95, "draftGeneration": 0.95, "export": 0.95}

_DURATION_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 1.5, 2.5, 5.0, 10.0, 12.0, 20.0, 30.0, 60.0, 120.0)

HTTP_REQUESTS = Counter(
    "http_requests_total", "HTTP requests handled", ["method", "route", "status"]
)
HTTP_DURATION = Histogram(
    "http_request_duration_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
STAGE_DURATION = Histogram(
    "bridge_stage_duration_seconds",
    "Time one pipeline stage took, from job start to commit",
    ["stage", "outcome"],
    buckets=_DURATION_BUCKETS,
)
PIPELINE_LATENCY = Histogram(
    "bridge_slo_latency_seconds",
    "End-to-end latency per SLO (meetingProcessing, draftGeneration, export)",
    ["slo"],
    buckets=_DURATION_BUCKETS,
)
STAGE_RUNS = Counter(
    "bridge_stage_runs_total", "Pipeline stage attempts by outcome", ["stage", "outcome"]
)
QUEUE_DEPTH = Gauge(
    "nats_queue_depth",
    "Jobs waiting per pipeline queue (arq sorted set size; the autoscaler's metric)",
    ["queue"],
)
WORKER_UP = Gauge("bridge_worker_up", "1 while a worker's heartbeat is fresh", ["queue"])
OUTBOX_PENDING = Gauge("bridge_outbox_pending", "Outbox rows not yet acknowledged by NATS")
OUTBOX_PUBLISHED = Counter("bridge_outbox_published_total", "Outbox rows published to NATS")
SLO_ERROR_BUDGET = Gauge(
    "slo_error_budget_remaining",
    "Fraction of the error budget left over the SLO window (1 = untouched, <0 = overspent)",
    ["slo"],
)
SLO_COMPLIANCE = Gauge(
    "bridge_slo_compliance", "Fraction of runs within target over the SLO window", ["slo"]
)
DB_CONNECTIONS = Gauge("db_connections", "Database pool connections by state", ["state"])
DEPENDENCY_UP = Gauge("bridge_dependency_up", "1 when a dependency answers", ["dependency"])
