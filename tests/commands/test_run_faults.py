"""The fault suite: the real `python -m bridge_app run` (supervisor, six workers, the API, its own
embedded PostgreSQL/Redis/NATS) keeps meetings flowing while its parts are killed.

While uploads arrive every few hundred milliseconds: SIGKILL each worker (the supervisor
restarts it; its jobs are taken over at once through their lapsed lease), SIGKILL Redis and
PostgreSQL (the supervisor brings them back; the workers are the same processes afterwards),
stop NATS (the outbox drains once it is back). Every upload answers 201 or 503 — never 500 —,
every accepted meeting reaches `ready`, a 503'd upload re-sent with its Idempotency-Key is
stored once, and nothing is duplicated: segments, decisions, drafts, versions, QA findings,
outbox rows and NATS messages exist exactly once.

It uses the profile `fault` (ports 55452/56399/54242, data in .dev/fault), never the shared
test services: it kills its services. The figures go to test-artifacts/fault-suite.json.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from bridge_app.commands.run import WORKERS
from bridge_app.demo import demo_transcript
from bridge_app.models.tables import Draft, DraftVersion, Meeting, QAFinding
from bridge_app.services import devservices
from bridge_app.services.meeting_data import data_key, finding_of
from bridge_app.settings import normalize_database_url
from tests.jobs.conftest import collect_events, run

# Start-up, about 100 s of faults under load, and a graceful stop: more than the default 300 s
# on a busy machine.
pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.timeout(600)]

REPO = Path(__file__).resolve().parents[2]
PROFILE = devservices.PROFILES["fault"]
API_PORT = 3451
PORT_OFFSET = 450  # worker health ports 8450–8455
ADMIN = ("admin@demo.local", "fault-suite-admin-password")
OUTAGE_S = "3"  # the supervisor waits this long before reviving a dead service
ARTIFACTS = REPO / "test-artifacts"
RUN_COMMAND = (sys.executable, "-m", "bridge_app", "run", "--profile", "fault", "--api-only")
DB_URL = f"postgresql://postgres@127.0.0.1:{PROFILE.pg_port}/{devservices.DATABASE_NAME}"
NATS_URL = f"nats://127.0.0.1:{PROFILE.nats_port}"


def wait_for(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception:
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def http_ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def worker_port(name: str) -> int:
    return 8000 + WORKERS.index(name) + PORT_OFFSET


@dataclass
class Upload:
    key: str
    phase: str
    status: int | str
    meeting_id: str | None = None


@dataclass
class Uploader:
    """Uploads a transcript every `pause_s`, recording what each answer was and in which phase."""

    client: httpx.Client
    phase: str = "warm-up"
    pause_s: float = 0.3
    results: list[Upload] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def send(self, key: str, phase: str) -> Upload:
        try:
            response = self.client.post(
                "/v1/meetings",
                files={"file": ("meeting.vtt", demo_transcript(), "text/vtt")},
                data={"title": f"Fault suite {key[:8]}"},
                headers={"Idempotency-Key": key},
            )
            status: int | str = response.status_code
            body = (
                response.json() if response.headers.get("content-type", "").endswith("json") else {}
            )
            if status == 503:
                assert response.headers.get("Retry-After"), "503 without Retry-After"
                assert body.get("dependency"), body
            upload = Upload(key, phase, status, body.get("id") if status in (200, 201) else None)
        except httpx.HTTPError as exc:
            upload = Upload(key, phase, type(exc).__name__)
        self.results.append(upload)
        return upload

    def loop(self) -> None:
        while not self.stop.is_set():
            self.send(str(uuid.uuid4()), self.phase)
            self.stop.wait(self.pause_s)


@dataclass
class Product:
    proc: subprocess.Popen[bytes]
    log: Path

    def worker_pids(self) -> dict[str, int]:
        """Worker name → pid of `python -m jobs <name>` among the supervisor's children."""
        pids: dict[str, int] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                cmd = (entry / "cmdline").read_bytes().decode().split("\0")[:-1]
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])  # after "(comm)": state, ppid
            if parent == self.proc.pid and cmd[-3:-1] == ["-m", "jobs"] and cmd[-1] in WORKERS:
                pids[cmd[-1]] = int(entry.name)
        return pids


def _service_pid(service: str) -> int:
    files = {
        "postgres": PROFILE.directory / "pg" / "data" / "postmaster.pid",
        "redis": PROFILE.directory / "redis" / "redis.pid",
        "nats": PROFILE.directory / "nats" / "nats.pid",
    }
    return int(files[service].read_text().split()[0])


@pytest.fixture(scope="module")
def product() -> Iterator[Product]:
    devservices.down(PROFILE)  # this suite's own services only
    shutil.rmtree(PROFILE.directory, ignore_errors=True)
    PROFILE.directory.mkdir(parents=True)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "NATS_URL", "LOCAL_STORAGE_DIR", "KEEP_SERVICES")
    }
    env.update(
        BRIDGE_ENV="test",
        BRIDGE_ADMIN_PASSWORD=ADMIN[1],
        BRIDGE_WORKER_PORT_OFFSET=str(PORT_OFFSET),
        BRIDGE_SERVICE_RESTART_DELAY_S=OUTAGE_S,
        PYTHONUNBUFFERED="1",
    )
    log = PROFILE.directory / "run.log"
    with log.open("wb") as handle:
        proc = subprocess.Popen(
            [*RUN_COMMAND, "--backend-port", str(API_PORT)],
            env=env,
            cwd=REPO,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    product = Product(proc, log)
    try:
        wait_for(lambda: http_ok(f"http://127.0.0.1:{API_PORT}/health"), 120, "the API")
        for name in WORKERS:
            wait_for(lambda n=name: http_ok(f"http://127.0.0.1:{worker_port(n)}/health"), 60, name)
        yield product
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        devservices.down(PROFILE)


def _query(sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(DB_URL, connect_timeout=3) as conn:
        return conn.execute(sql, params).fetchall()


def _statuses(ids: list[str]) -> Counter[str]:
    rows = _query("SELECT status FROM meetings WHERE id = ANY(%s::uuid[])", ids)
    return Counter(r[0] for r in rows)


def _duplicated_findings(ids: list[str]) -> list[tuple[Any, ...]]:
    """QA findings stored twice: same version, code, clause and message. Messages are encrypted
    at rest (with a fresh nonce each time), so they are compared decrypted."""
    engine = sa.create_engine(normalize_database_url(DB_URL))
    try:
        with Session(engine) as session:
            rows = session.exec(
                select(QAFinding, Meeting)
                .join(DraftVersion, col(DraftVersion.id) == QAFinding.draft_version_id)
                .join(Draft, col(Draft.id) == DraftVersion.draft_id)
                .join(Meeting, col(Meeting.id) == Draft.meeting_id)
                .where(col(Meeting.id).in_([uuid.UUID(i) for i in ids]))
            ).all()
            keys: dict[uuid.UUID, bytes] = {}
            seen: Counter[tuple[Any, ...]] = Counter()
            for finding, meeting in rows:
                if meeting.id not in keys:
                    keys[meeting.id] = data_key(session, meeting)
                message, _ = finding_of(finding, keys[meeting.id])
                seen[(finding.draft_version_id, finding.code, finding.clause, message)] += 1
    finally:
        engine.dispose()
    return [(*k, n) for k, n in seen.items() if n > 1]


def test_meetings_survive_killed_workers_and_services(product: Product) -> None:
    client = httpx.Client(base_url=f"http://127.0.0.1:{API_PORT}", timeout=30)
    token = client.post("/v1/auth/login", json={"email": ADMIN[0], "password": ADMIN[1]})
    assert token.status_code == 200, token.text
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    uploader = Uploader(client)
    thread = threading.Thread(target=uploader.loop, daemon=True)
    began = time.monotonic()
    thread.start()
    faults: list[dict[str, Any]] = []

    def accepted() -> list[str]:
        return [u.meeting_id for u in uploader.results if u.meeting_id]

    try:
        wait_for(lambda: _statuses(accepted())["ready"] >= 3, 60, "first meetings ready")

        # 1. SIGKILL each worker, one after another (a second apart, while the previous one
        #    may still be starting): each is restarted, nothing else is.
        killed_at: dict[str, float] = {}
        healthy: dict[str, float] = {}

        def all_healthy() -> bool:
            """Note when each killed worker's restart answers /health; True once all do."""
            for n in killed_at:
                if n not in healthy and http_ok(f"http://127.0.0.1:{worker_port(n)}/health"):
                    healthy[n] = time.monotonic()
            return len(healthy) == len(WORKERS)

        for name in WORKERS:
            uploader.phase = f"kill worker-{name}"
            before = product.worker_pids()
            killed_at[name] = time.monotonic()
            os.kill(before[name], signal.SIGKILL)
            after = wait_for(
                lambda n=name, b=before: (
                    (p := product.worker_pids()).get(n) not in (None, b[n]) and p
                ),
                30,
                f"worker-{name} respawned",
            )
            assert {k: v for k, v in after.items() if k != name} == {
                k: v for k, v in before.items() if k != name
            }, "only the killed worker was restarted"
            pause = time.monotonic() + 1.0
            while time.monotonic() < pause:
                all_healthy()
                time.sleep(0.1)
        wait_for(all_healthy, 60, "every restarted worker healthy")
        faults.extend(
            {"fault": f"SIGKILL worker-{n}", "recovered_s": healthy[n] - killed_at[n]}
            for n in WORKERS
        )

        # 2. SIGKILL Redis, then PostgreSQL; stop NATS. The workers ride it out.
        for service, sig, label in (
            ("redis", signal.SIGKILL, "SIGKILL Redis"),
            ("postgres", signal.SIGKILL, "SIGKILL PostgreSQL"),
            ("nats", signal.SIGTERM, "stop NATS"),
        ):
            uploader.phase = label
            workers_before = product.worker_pids()
            seen = len(uploader.results)
            t0 = time.monotonic()
            os.kill(_service_pid(service), sig)
            # Gone first (a killed postmaster's socket closes only once its backends exit)…
            wait_for(lambda s=service: not devservices.status(PROFILE)[s], 10, f"{service} gone")
            # …then revived by the supervisor.
            wait_for(lambda s=service: devservices.status(PROFILE)[s], 60, f"{service} back")
            back = time.monotonic() - t0
            # Recovered = an upload sent after the service returned is processed to the end.
            probe = wait_for(
                lambda lbl=label: (u := uploader.send(str(uuid.uuid4()), lbl)).status == 201 and u,
                60,
                f"an upload accepted after {label}",
            )
            wait_for(lambda p=probe: _statuses([p.meeting_id])["ready"] == 1, 90, "it is ready")
            faults.append(
                {
                    "fault": label,
                    "service_back_s": back,
                    "recovered_s": time.monotonic() - t0,
                    "uploads_during": dict(Counter(str(u.status) for u in uploader.results[seen:])),
                }
            )
            assert product.worker_pids() == workers_before, f"a worker restarted during {label}"
            for name in WORKERS:
                assert http_ok(f"http://127.0.0.1:{worker_port(name)}/health"), name
    finally:
        uploader.stop.set()
        thread.join(timeout=60)

    # 3. Re-send what was refused, with the same key: stored once.
    refused = [u for u in uploader.results if u.status == 503]
    for upload in refused:
        again = wait_for(lambda k=upload.key: uploader.send(k, "re-send").meeting_id, 30, "re-send")
        assert again
    statuses = Counter(str(u.status) for u in uploader.results)
    assert set(statuses) <= {"200", "201", "503"}, statuses
    ids = sorted(set(accepted()))
    wait_for(lambda: _statuses(ids)["ready"] == len(ids), 180, f"all {len(ids)} meetings ready")

    # 4. Exactly once: one meeting per key; rows and events once.
    keys = [u.key for u in uploader.results]
    per_key = _query(
        "SELECT idempotency_key, count(*) FROM meetings WHERE idempotency_key = ANY(%s) GROUP BY 1",
        keys,
    )
    assert len(per_key) == len(set(keys)) and all(n == 1 for _, n in per_key)
    duplicated = {
        "segments": _query(
            "SELECT meeting_id, position FROM transcript_segments"
            " WHERE meeting_id = ANY(%s::uuid[]) GROUP BY 1, 2 HAVING count(*) > 1",
            ids,
        ),
        "decisions": _query(
            "SELECT meeting_id, item_key FROM decisions WHERE meeting_id = ANY(%s::uuid[])"
            " GROUP BY 1, 2 HAVING count(*) > 1",
            ids,
        ),
        "drafts": _query(
            "SELECT meeting_id FROM drafts WHERE meeting_id = ANY(%s::uuid[])"
            " GROUP BY 1 HAVING count(*) > 1",
            ids,
        ),
        "versions": _query(
            "SELECT d.meeting_id FROM draft_versions v JOIN drafts d ON d.id = v.draft_id"
            " WHERE d.meeting_id = ANY(%s::uuid[]) GROUP BY 1 HAVING count(*) > 1",
            ids,
        ),
        "findings": _duplicated_findings(ids),
    }
    assert not any(duplicated.values()), duplicated
    segments = _query(
        "SELECT count(*) FROM transcript_segments WHERE meeting_id = ANY(%s::uuid[])", ids
    )[0][0]
    decisions = _query("SELECT count(*) FROM decisions WHERE meeting_id = ANY(%s::uuid[])", ids)[0][
        0
    ]
    drafts = _query("SELECT count(*) FROM drafts WHERE meeting_id = ANY(%s::uuid[])", ids)[0][0]
    assert drafts == len(ids)

    wait_for(
        lambda: _query("SELECT count(*) FROM outbox WHERE sent_at IS NULL")[0][0] == 0,
        60,
        "the outbox drained",
    )
    outbox = [
        str(r[0])
        for r in _query(
            "SELECT event_id FROM outbox WHERE payload->>'meeting_id' = ANY(%s)",
            [str(i) for i in ids],
        )
    ]
    events = run(collect_events(NATS_URL, set(ids), timeout=20))
    per_event = Counter(e["id"] for e in events)
    assert sorted(per_event) == sorted(outbox), "every outbox row reached NATS"
    assert set(per_event.values()) == {1}, "and exactly once"

    # 5. One log line per outage and one per recovery, no tracebacks.
    logs = {
        name: (PROFILE.directory / "logs" / f"worker-{name}.log").read_text() for name in WORKERS
    }
    outages = {"Redis", "PostgreSQL", "NATS"}
    unreachable = {
        f"{name}/{dep}": text.count(f"{dep} is unreachable")
        for name, text in logs.items()
        for dep in outages
    }
    reachable = {
        f"{name}/{dep}": text.count(f"{dep} is reachable again")
        for name, text in logs.items()
        for dep in outages
    }
    tracebacks = {name: text.count("Traceback") for name, text in logs.items()}
    figures = {
        "meetings": len(ids),
        "uploads": dict(statuses),
        "refused_then_resent": len(refused),
        "faults": faults,
        "lost": len(ids) - _statuses(ids)["ready"],
        "duplicated": sum(len(v) for v in duplicated.values()),
        "segments": segments,
        "decisions": decisions,
        "outbox_rows": len(outbox),
        "nats_messages": len(events),
        "outage_log_lines": {k: v for k, v in unreachable.items() if v},
        "recovery_log_lines": {k: v for k, v in reachable.items() if v},
        "jobs_freed_from_dead_workers": sum(
            int(line.split("freed ")[1].split()[0])
            for line in logs["maintenance"].splitlines()
            if "stopped renewing its lease" in line
        ),
        "tracebacks": tracebacks,
        "seconds": round(time.monotonic() - began, 1),
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "fault-suite.json").write_text(json.dumps(figures, indent=2, default=str))
    print(json.dumps(figures, indent=2, default=str))
    assert all(n <= 1 for n in unreachable.values()), "one line per outage"
    assert reachable == unreachable, "and one per recovery"
    assert not any(tracebacks.values()), tracebacks
