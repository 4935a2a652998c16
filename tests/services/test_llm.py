"""The OpenAI-compatible client against a real local HTTP server (no internet)."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bridge_app.core.extraction import extract_items
from bridge_app.core.extraction.llm import LLMError
from bridge_app.core.transcript.model import Segment
from bridge_app.services.llm import ChatClient, client_from_env, llm_settings

LINES = [
    Segment(0, "Buyer", 0.0, 4.0, "Would you take $13 for the lamp?", "c1"),
    Segment(1, "Seller", 5.0, 9.0, "Sure, $13 works for me.", "c2"),
]

Reply = Callable[[dict], tuple[int, str]]


def chat(content: str) -> tuple[int, str]:
    body = {
        "choices": [{"message": {"role": "assistant", "content": content}}],
        "usage": {"total_tokens": 50},
    }
    return 200, json.dumps(body)


def items_json(quote: str, segment_id: str = "c2") -> str:
    return json.dumps(
        {
            "items": [
                {
                    "kind": "agreed_term",
                    "statement": "Sold for $13.",
                    "values": {"price": {"amount": 13, "currency": "USD"}},
                    "confidence": 0.95,
                    "evidence": [{"segment_id": segment_id, "quote": quote}],
                }
            ]
        }
    )


@pytest.fixture
def server() -> Iterator[tuple[str, list[Reply], list[dict]]]:
    """A chat-completions server whose replies the test queues; it records the requests."""
    replies: list[Reply] = []
    requests: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length))
            requests.append({"path": self.path, "auth": self.headers.get("Authorization"), **body})
            reply = replies.pop(0) if replies else (lambda _b: chat(items_json("$13 works")))
            status, text = reply(body)
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            # The timeout test's client hangs up before the answer arrives.
            with contextlib.suppress(BrokenPipeError):
                self.wfile.write(data)

        def log_message(self, *_args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", replies, requests
    httpd.shutdown()
    httpd.server_close()


def client(url: str, **kw) -> ChatClient:
    kw.setdefault("sleep", lambda _s: None)
    return ChatClient(url, "test-model", "sk-test", **kw)


def test_grounded_answer_becomes_items(server):
    url, replies, requests = server
    replies.append(lambda _b: chat(items_json("$13 works for me")))
    with client(url) as c:
        items = extract_items(LINES, backend="llm", llm_client=c)
    assert [it.id.startswith("llm-") for it in items] == [True]
    assert items[0].values["price"]["amount"] == 13.0
    assert requests[0]["path"] == "/v1/chat/completions"
    assert requests[0]["auth"] == "Bearer sk-test" and requests[0]["model"] == "test-model"
    assert "[c2] Seller:" in requests[0]["messages"][1]["content"]


def test_hallucinated_quote_is_dropped(server):
    url, replies, _ = server
    replies.append(lambda _b: chat(items_json("$12 is my final price")))
    with client(url) as c:
        assert extract_items(LINES, backend="llm", llm_client=c) == []


def test_malformed_json_twice_falls_back_to_rules(server):
    url, replies, _ = server
    replies += [lambda _b: chat("{not json"), lambda _b: chat("sure! the price is 13")]
    with client(url) as c:
        items = extract_items(LINES, backend="llm", llm_client=c)
    assert items and all(not it.id.startswith("llm-") for it in items)


def test_500s_are_retried_then_succeed(server):
    url, replies, requests = server
    replies += [lambda _b: (500, "oops"), lambda _b: (503, "busy")]
    with client(url, max_retries=2) as c:
        assert "items" in c([{"role": "user", "content": "hi"}])
    assert len(requests) == 3


def test_persistent_500_falls_back_to_rules(server):
    url, replies, _ = server
    replies += [lambda _b: (500, "oops")] * 3
    with client(url, max_retries=2) as c, pytest.raises(LLMError):
        c([{"role": "user", "content": "hi"}])
    replies += [lambda _b: (500, "oops")] * 3
    with client(url, max_retries=2) as c:
        items = extract_items(LINES, backend="llm", llm_client=c)
    assert any(it.kind == "agreed_term" for it in items)


def test_timeout_falls_back_to_rules(server):
    url, replies, _ = server

    def slow(_b: dict) -> tuple[int, str]:
        time.sleep(0.5)
        return chat(items_json("$13 works"))

    replies += [slow, slow]
    with client(url, timeout=0.1, max_retries=1) as c:
        items = extract_items(LINES, backend="llm", llm_client=c)
    assert items and all(not it.id.startswith("llm-") for it in items)


def test_not_a_chat_completion_and_client_errors(server):
    url, replies, _ = server
    replies += [lambda _b: (200, json.dumps({"weird": True})), lambda _b: (401, "no")]
    with client(url) as c:
        with pytest.raises(LLMError):
            c([{"role": "user", "content": "hi"}])
        with pytest.raises(LLMError):
            c([{"role": "user", "content": "hi"}])


def test_token_budget_is_enforced(server):
    url, _, _ = server
    with client(url, max_tokens=100, token_budget=120) as c, pytest.raises(LLMError):
        c([{"role": "user", "content": "x" * 400}])


def test_chunking_sends_several_requests_for_a_long_meeting(server):
    url, _, requests = server
    long = [
        Segment(i, "A", i * 5.0, i * 5.0 + 4, f"point {i} " + "words " * 60, f"c{i + 1}")
        for i in range(200)
    ]
    with client(url) as c:
        extract_items(long, backend="llm", llm_client=c)
    assert len(requests) > 1


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.delenv("LLM_BASE_URL", raising=False)
    monkeypatch.delenv("LLM_MODEL", raising=False)
    assert client_from_env() is None
    monkeypatch.setenv("LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("LLM_MODEL", "m")
    monkeypatch.setenv("LLM_API_KEY", "k")
    assert llm_settings().model == "m"
    c = client_from_env()
    assert c is not None and c.url == "http://127.0.0.1:9/v1/chat/completions"
    c.close()


def test_a_value_the_quote_does_not_say_is_dropped_with_a_logged_warning(server, caplog):
    url, replies, requests = server
    wrong = json.loads(items_json("Sure, $13 works for me."))
    wrong["items"][0]["values"]["price"]["amount"] = 15
    replies.append(lambda _b: chat(json.dumps(wrong)))
    with client(url) as c, caplog.at_level("WARNING", logger="bridge_app.core.extraction.llm"):
        items = extract_items(LINES, backend="llm", llm_client=c)
    assert items == []  # an agreed term without a grounded value is no term
    assert any("not in its quoted segments" in r.getMessage() for r in caplog.records)
    user = requests[0]["messages"][1]["content"]
    assert "<transcript>" in user and user.rstrip().endswith("</transcript>")
