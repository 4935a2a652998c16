"""`python -m jobs <worker>`: run one arq worker that rides out Redis and PostgreSQL outages.

`arq jobs.<worker>.WorkerSettings` works too, but arq's poll loop lets a Redis error escape and
the process exits. Here the Redis client waits for Redis (resilience.WaitingRetry, set in the
settings), and the few errors redis-py still raises mid-transaction (a WatchError when the
connection drops while a key is watched) end one poll iteration instead of the worker.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import logging.config
import sys
from typing import Any

import redis.exceptions
from arq.logs import default_log_config
from arq.worker import Worker, get_kwargs

from bridge_app.services.resilience import OUTAGES, REDIS

WORKERS = ("transcript", "decision", "draft", "qa", "export", "maintenance")
POLL_PAUSE_AFTER_ERROR_S = 1.0


class ResilientWorker(Worker):
    """An arq Worker whose poll loop survives Redis going away and coming back."""

    async def _poll_iteration(self) -> None:
        try:
            await super()._poll_iteration()
        except (redis.exceptions.RedisError, ConnectionError, OSError) as exc:
            if isinstance(exc, redis.exceptions.WatchError | redis.exceptions.ResponseError):
                logging.getLogger("bridge.jobs").info("poll iteration ended early: %s", exc)
            else:
                OUTAGES.down(REDIS, exc)
            await asyncio.sleep(POLL_PAUSE_AFTER_ERROR_S)


def log_config() -> dict[str, Any]:
    config = default_log_config(verbose=False)
    config["loggers"]["bridge"] = {"handlers": ["arq.standard"], "level": "INFO"}
    return config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jobs", description=__doc__.splitlines()[0])
    parser.add_argument("worker", choices=WORKERS)
    args = parser.parse_args(argv)
    logging.config.dictConfig(log_config())
    settings = importlib.import_module(f"jobs.{args.worker}").WorkerSettings
    kwargs: dict[str, Any] = dict(get_kwargs(settings))
    ResilientWorker(**kwargs).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
