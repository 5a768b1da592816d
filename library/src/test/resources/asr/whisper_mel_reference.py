"""Writes whisper_mel_reference.json: Whisper's log-mel front end on a fixed signal, by Whisper's own code.

Usage: python3 whisper_mel_reference.py WHISPER_PKG_DIR > whisper_mel_reference.json
  WHISPER_PKG_DIR: the whisper/ folder of openai/whisper (release 20250625) with audio.py and assets/mel_filters.npz;
  torch and numpy installed. Whisper's package __init__ is not imported (it needs tiktoken): audio.py is loaded alone.
Signal: 0.5 s at 16 kHz: a 220 -> 3000 Hz chirp plus a 440 Hz tone plus seeded noise (numpy.random.default_rng(13)).
"""
import importlib.util, json, sys, types
import numpy as np, torch

pkg = types.ModuleType("whisper"); pkg.__path__ = [sys.argv[1]]; sys.modules["whisper"] = pkg
utils = types.ModuleType("whisper.utils"); utils.exact_div = lambda x, y: x // y; sys.modules["whisper.utils"] = utils
spec = importlib.util.spec_from_file_location("whisper.audio", sys.argv[1] + "/audio.py")
audio = importlib.util.module_from_spec(spec); sys.modules["whisper.audio"] = audio; spec.loader.exec_module(audio)

t = np.arange(8000) / 16000.0
rng = np.random.default_rng(13)
x = (0.3 * np.sin(2 * np.pi * (220 * t + (3000 - 220) / (2 * 0.5) * t ** 2)) + 0.2 * np.sin(2 * np.pi * 440 * t)
     + 0.05 * rng.standard_normal(8000)).astype(np.float32)
out = {"signal": [float(v) for v in x]}
for n in (80, 128):
    out[f"mel_{n}"] = audio.log_mel_spectrogram(torch.from_numpy(x), n_mels=n).numpy().astype(float).round(6).tolist()
out["filters_80"] = audio.mel_filters("cpu", 80).numpy().astype(float).round(9).tolist()
out["filters_128_row_sums"] = audio.mel_filters("cpu", 128).numpy().sum(axis=1).astype(float).round(9).tolist()
print(json.dumps(out))
