"""OpenAI-compatible chat client for the ``llm`` extraction backend (OpenAI, Azure, vLLM, Ollama,
llama.cpp server): timeouts, bounded retries with backoff, and a token budget per meeting.

The client is a callable ``(messages) -> str`` so the pure core (``bridge_app.core.extraction``)
can use it without knowing about HTTP. Any failure raises ``LLMError``; the core then falls back
to the rules backend.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from bridge_app.core.extraction.llm import LLMError, estimate_tokens

_RETRY_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class LLMSettings:
    """Where the model lives. ``base_url`` ends before ``/chat/completions`` (e.g. ``…/v1``)."""

    base_url: str | None
    model: str | None
    api_key: str | None


def llm_settings() -> LLMSettings:
    """Read the endpoint configuration (the one place that does, so it can move to Settings)."""
    return LLMSettings(
        base_url=os.environ.get("LLM_BASE_URL") or None,
        model=os.environ.get("LLM_MODEL") or None,
        api_key=os.environ.get("LLM_API_KEY") or None,
    )


class ChatClient:
    """A chat-completions client; call it with messages, get the assistant's text back."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        *,
        timeout: float = 30.0,
        max_retries: int = 2,
        backoff: float = 0.5,
        max_tokens: int = 1500,
        token_budget: int = 100_000,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_tokens = max_tokens
        self.token_budget = token_budget
        self.tokens_used = 0
        self._sleep = sleep
        headers = {"Content-Type": "application/json"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
            # Azure OpenAI authenticates with its own header; sending both is harmless elsewhere.
            headers["api-key"] = api_key
        self._http = httpx.Client(timeout=timeout, headers=headers, transport=transport)

    def close(self) -> None:
        """Release the HTTP connection pool."""
        self._http.close()

    def __enter__(self) -> ChatClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _charge(self, tokens: int) -> None:
        self.tokens_used += tokens
        if self.tokens_used > self.token_budget:
            raise LLMError(f"token budget of {self.token_budget} exhausted")

    def __call__(self, messages: list[dict[str, str]]) -> str:
        """Send one chat request; retries transient failures, raises ``LLMError`` otherwise."""
        prompt_tokens = sum(estimate_tokens(m.get("content", "")) for m in messages)
        if self.tokens_used + prompt_tokens + self.max_tokens > self.token_budget:
            raise LLMError(f"token budget of {self.token_budget} would be exceeded")
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "temperature": 0,
            "max_tokens": self.max_tokens,
        }
        last_error = "no attempt"
        for attempt in range(self.max_retries + 1):
            if attempt:
                self._sleep(self.backoff * (2 ** (attempt - 1)))
            try:
                resp = self._http.post(self.url, json=body)
            except httpx.TimeoutException:
                last_error = "timeout"
                self._charge(prompt_tokens)  # a timed-out request may still have been billed
                continue
            except httpx.HTTPError as exc:
                last_error = f"connection error: {type(exc).__name__}"
                continue
            if resp.status_code in _RETRY_STATUS:
                last_error = f"HTTP {resp.status_code}"
                continue
            if resp.status_code >= 400:
                raise LLMError(f"endpoint answered HTTP {resp.status_code}")
            return self._content(resp)
        raise LLMError(f"endpoint failed after {self.max_retries + 1} attempts: {last_error}")

    def _content(self, resp: httpx.Response) -> str:
        try:
            data = resp.json()
            content = data["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise LLMError("endpoint answer is not a chat completion") from exc
        usage = data.get("usage") if isinstance(data, dict) else None
        used = usage.get("total_tokens") if isinstance(usage, dict) else None
        self._charge(int(used) if isinstance(used, int) else estimate_tokens(str(content)))
        if not isinstance(content, str):
            raise LLMError("chat completion has no text content")
        return content


def client_from_env(**kwargs: Any) -> ChatClient | None:
    """A client for the configured endpoint, or None when ``LLM_BASE_URL``/``LLM_MODEL`` are unset
    (the extractor then uses the rules backend)."""
    cfg = llm_settings()
    if not cfg.base_url or not cfg.model:
        return None
    return ChatClient(cfg.base_url, cfg.model, cfg.api_key, **kwargs)
