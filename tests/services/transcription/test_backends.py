"""Backends on real speech: the bundled tiny.en, and an OpenAI-compatible server over HTTP.

The server is a small real HTTP server started here that itself runs the local backend, so the
`openai` backend is checked against the verbose_json shape without any canned answer.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from python_multipart import parse_form

from bridge_app.core.transcript.model import TranscriptError
from bridge_app.services import transcription
from bridge_app.services.transcription import audio
from bridge_app.services.transcription.backends import (
    FallbackBackend,
    OpenAIBackend,
    TranscriptionConfigError,
    TranscriptionUnavailable,
    local_backend,
)
from bridge_app.settings import Settings
from tests import speech


class WhisperServer(BaseHTTPRequestHandler):
    """POST /v1/audio/transcriptions → verbose_json from the local model; 401 without the key."""

    requests: list[dict[str, str]] = []
    fail_with: int | None = None

    def do_POST(self) -> None:
        if self.headers.get("Authorization") != "Bearer test-key":
            self._answer(401, {"error": {"message": "invalid api key"}})
            return
        if self.fail_with:
            self._answer(self.fail_with, {"error": {"message": "overloaded"}})
            return
        fields: dict[str, str] = {}
        files: dict[str, bytes] = {}

        def on_field(field: Any) -> None:
            fields[field.field_name.decode()] = (field.value or b"").decode()

        def on_file(file: Any) -> None:
            file.file_object.seek(0)
            files[file.field_name.decode()] = file.file_object.read()

        headers = {k: v for k, v in self.headers.items()}
        parse_form(headers, self.rfile, on_field, on_file)  # type: ignore[arg-type]
        type(self).requests.append(fields)
        samples = audio.decode_window(files["file"], 0.0, 1e9)
        phrases = local_backend().transcribe(samples, language=fields.get("language"))
        self._answer(
            200,
            {
                "task": "transcribe",
                "language": "english",
                "duration": audio.seconds(samples),
                "text": " ".join(p.text for p in phrases),
                "segments": [
                    {"id": i, "start": p.start, "end": p.end, "text": " " + p.text}
                    for i, p in enumerate(phrases)
                ],
            },
        )

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), WhisperServer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()


def test_the_bundled_model_hears_numbers_and_names() -> None:
    samples = speech.say("Okay, thirty eight thousand dollars works for us.", "en-us")
    phrases = local_backend().transcribe(samples, language="en")
    text = " ".join(p.text for p in phrases)
    assert "38,000" in text.replace(" thousand", ",000")
    assert phrases[0].start < 0.5 and phrases[-1].end <= audio.seconds(samples) + 0.1


def test_a_bad_model_path_says_what_to_fix(tmp_path: Any) -> None:
    settings = Settings(WHISPER_MODEL=str(tmp_path))
    with pytest.raises(TranscriptionConfigError, match="CTranslate2"):
        transcription.get_backend(settings)


def test_the_openai_backend_transcribes_through_a_server(
    server: str, negotiation: speech.Conversation
) -> None:
    settings = Settings(
        TRANSCRIPTION_BACKEND="openai",
        TRANSCRIPTION_BASE_URL=server,
        TRANSCRIPTION_API_KEY="test-key",
        TRANSCRIPTION_MODEL="whisper-large-v3",
        TRANSCRIPTION_CHUNK_S=15,
    )
    upload = transcription.read_upload(
        speech.encode(negotiation.mix, "mp3"), "call.mp3", settings=settings
    )
    WhisperServer.requests.clear()
    result = transcription.transcribe_upload(upload, settings=settings)
    chunks = transcription.chunks_of(upload)
    assert len(WhisperServer.requests) == len(chunks) > 1
    assert WhisperServer.requests[0]["model"] == "whisper-large-v3"
    assert WhisperServer.requests[0]["response_format"] == "verbose_json"
    assert WhisperServer.requests[0]["language"] == "en"
    text = " ".join(s.text for s in result.segments)
    assert "Summit Logistics" in text and "$38,000" in text.replace("38,000 dollars", "$38,000")
    # Chunk times are put back on the recording's clock.
    assert result.segments[-1].start > chunks[1][1]


def test_server_failures_are_clear_and_can_fall_back(server: str) -> None:
    samples = speech.say("Hello there.", "en-us")
    wrong_key = OpenAIBackend(server, "whisper-1", "nope", timeout_s=10)
    with pytest.raises(TranscriptionConfigError, match="401"):
        wrong_key.transcribe(samples, language="en")
    WhisperServer.fail_with = 503
    try:
        with pytest.raises(TranscriptionUnavailable, match="503"):
            OpenAIBackend(server, "whisper-1", "test-key", timeout_s=10).transcribe(
                samples, language="en"
            )
    finally:
        WhisperServer.fail_with = None
    down = OpenAIBackend("http://127.0.0.1:9/v1", "whisper-1", "", timeout_s=2)
    with pytest.raises(TranscriptionUnavailable, match="cannot be reached"):
        down.transcribe(samples, language="en")
    phrases = FallbackBackend(down, local_backend()).transcribe(samples, language="en")
    assert "hello" in " ".join(p.text for p in phrases).lower()
    with pytest.raises(TranscriptionConfigError, match="TRANSCRIPTION_BASE_URL"):
        transcription.get_backend(Settings(TRANSCRIPTION_BACKEND="openai"))


def test_noise_without_speech_says_so() -> None:
    import numpy as np

    rng = np.random.default_rng(7)
    noise = (rng.standard_normal(16_000 * 4) * 0.01).astype(np.float32)
    upload = transcription.read_upload(speech.encode(noise), "hum.wav")
    with pytest.raises(TranscriptError) as err:
        transcription.transcribe_upload(upload)
    assert err.value.code == "no_speech"
