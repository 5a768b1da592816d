"""Writes silero_reference.json: Silero VAD v5 window probabilities and speech timestamps from silero-vad's own code.

Usage: python3 silero_reference.py UTILS_VAD_PY SILERO_VAD_V5_ONNX DATA_ASR_DIR > silero_reference.json
  UTILS_VAD_PY: src/silero_vad/utils_vad.py of the silero-vad repository (OnnxWrapper + get_speech_timestamps);
  torch, numpy and onnxruntime installed (torchaudio is not needed: a stub stands in for its import).
Audio: 16-bit 16 kHz mono WAVs read as int16/32768, which is what FFmpeg's s16 -> float conversion gives.
"""
import importlib.util, json, sys, types, wave
import numpy as np, torch

sys.modules.setdefault("torchaudio", types.ModuleType("torchaudio"))
spec = importlib.util.spec_from_file_location("utils_vad", sys.argv[1])
uv = importlib.util.module_from_spec(spec); spec.loader.exec_module(uv)
model = uv.OnnxWrapper(sys.argv[2], force_onnx_cpu=True)

def read(p):
    w = wave.open(p)
    return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768.0

d = sys.argv[3]
jfk = read(d + "/jfk.wav")
l0870 = read(d + "/librivox/sense_and_sensibility_01_austen_64kb-0870.wav")
l0880 = read(d + "/librivox/sense_and_sensibility_01_austen_64kb-0880.wav")
# two utterances with 1.5 s of silence between them, and 0.3 s of silence before
joined = np.concatenate([np.zeros(4800, np.float32), l0870, np.zeros(24000, np.float32), l0880])
out = {}
for name, audio, kw in [("jfk", jfk, {}), ("joined", joined, {}),
                        ("joined_max3s", joined, {"max_speech_duration_s": 3.0}),
                        ("jfk_t07_sil300_pad100", jfk, {"threshold": 0.7, "min_silence_duration_ms": 300, "speech_pad_ms": 100})]:
    t = torch.from_numpy(audio)
    probs = model.audio_forward(t, 16000)[0].tolist() if not kw else None
    ts = uv.get_speech_timestamps(t, model, sampling_rate=16000, **kw)
    out[name] = {"kwargs": kw, "probabilities": probs, "timestamps": [[s["start"], s["end"]] for s in ts]}
print(json.dumps(out))
