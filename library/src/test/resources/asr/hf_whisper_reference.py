"""Writes hf_whisper/: a randomly initialised Whisper (the real architecture of transformers' WhisperForConditionalGeneration,
tiny sizes, seeded) exported to ONNX with optimum's file and tensor names, and what transformers' own generate() decodes
from a fixed input: the reference WhisperHfParityTest holds the Java decoding loop to.

Usage: python3 hf_whisper_reference.py OUT_DIR [SCALE=3]   (torch, transformers 5.x, onnx; no weights are downloaded)
The vocabulary layout is the test's TinyWhisper tokenizer: 256 bytes + 14 words, then <|endoftext|> 270,
<|startoftranscript|> 271, <|en|> 272, <|de|> 273, <|translate|> 274, <|transcribe|> 275, <|startoflm|> 276,
<|startofprev|> 277, <|nospeech|> 278, <|notimestamps|> 279, timestamps <|0.00|> 280 … <|5.00|> 530.
Input features: f[m][t] = 1.5*sin(0.013*(t+1)*(m+1)) - 0.4 for t < 1100 (11 s of content), 0 after (pad_or_trim).
"""
import json, math, os, sys
import numpy as np, torch
from transformers import WhisperConfig, WhisperForConditionalGeneration, GenerationConfig

out = sys.argv[1]
SCALE = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
# the tokens OpenAI's decoding always suppresses (_get_suppress_tokens: the task and start tokens, <|nospeech|>)
ALWAYS = [271, 274, 275, 276, 277, 278]
os.makedirs(out, exist_ok=True)
torch.manual_seed(3)
V, D, L, H = 531, 32, 2, 2
cfg = WhisperConfig(vocab_size=V, num_mel_bins=80, encoder_layers=L, decoder_layers=L, encoder_attention_heads=H,
                    decoder_attention_heads=H, encoder_ffn_dim=64, decoder_ffn_dim=64, d_model=D, max_source_positions=1500,
                    max_target_positions=400, pad_token_id=270, bos_token_id=270, eos_token_id=270, decoder_start_token_id=271,
                    suppress_tokens=ALWAYS, begin_suppress_tokens=[32, 270])
model = WhisperForConditionalGeneration(cfg).eval()
with torch.no_grad():  # sharper next-token distributions (embeddings ×3, tied to the output projection): fewer near-ties
    model.model.decoder.embed_tokens.weight.mul_(SCALE)
gen = GenerationConfig(decoder_start_token_id=271, eos_token_id=270, pad_token_id=270, bos_token_id=270,
                       no_timestamps_token_id=279, lang_to_id={"<|en|>": 272, "<|de|>": 273},
                       task_to_id={"transcribe": 275, "translate": 274}, is_multilingual=True, suppress_tokens=ALWAYS,
                       begin_suppress_tokens=[32, 270], max_initial_timestamp_index=50, max_length=448)
model.generation_config = gen
cfg.save_pretrained(out)
gen.save_pretrained(out)

feat = np.zeros((1, 80, 3000), dtype=np.float32)
for m in range(80):
    for t in range(1100):
        feat[0, m, t] = np.float32(1.5 * math.sin(0.013 * (t + 1) * (m + 1)) - 0.4)
x = torch.from_numpy(feat)

# transformers runs every input through its seek loop; the reference is the first window's tokens as its
# generate_with_fallback returns them (temperature 0: no fallback), before segmentation
import transformers.models.whisper.generation_whisper as gw
windows = []
_orig = gw.WhisperGenerationMixin.generate_with_fallback
def _record(self, *a, **k):
    r = _orig(self, *a, **k)
    windows.append([int(v) for v in r[0][0].tolist()])
    return r
gw.WhisperGenerationMixin.generate_with_fallback = _record
ref = {}
with torch.no_grad():
    for lang, ts in (("en", True), ("de", True), ("en", False)):
        windows.clear()
        model.generate(x, language=lang, task="transcribe", return_timestamps=ts, max_new_tokens=200, temperature=0.0)
        ref[lang + ("_timestamps" if ts else "_no_timestamps")] = windows[0]
    ref["detected_language_token"] = int(model.detect_language(x)[0].item())
json.dump(ref, open(os.path.join(out, "reference.json"), "w"))

class Enc(torch.nn.Module):
    def __init__(s, m): super().__init__(); s.m = m
    def forward(s, input_features): return s.m.model.encoder(input_features).last_hidden_state

from transformers.cache_utils import DynamicCache, EncoderDecoderCache

def flat(cache, with_encoder):
    o = []
    for i in range(L):
        sa, ca = cache.self_attention_cache.layers[i], cache.cross_attention_cache.layers[i]
        o += [sa.keys, sa.values] + ([ca.keys, ca.values] if with_encoder else [])
    return o

class Dec(torch.nn.Module):
    def __init__(s, m): super().__init__(); s.m = m
    def forward(s, input_ids, encoder_hidden_states):
        cache = EncoderDecoderCache(DynamicCache(), DynamicCache())
        o = s.m.model.decoder(input_ids=input_ids, encoder_hidden_states=encoder_hidden_states, past_key_values=cache, use_cache=True)
        return (s.m.proj_out(o.last_hidden_state), *flat(o.past_key_values, True))

class DecPast(torch.nn.Module):
    def __init__(s, m): super().__init__(); s.m = m
    def forward(s, input_ids, *past):
        self_c, cross_c = DynamicCache(), DynamicCache()
        for i in range(L):
            self_c.update(past[4 * i], past[4 * i + 1], i)
            cross_c.update(past[4 * i + 2], past[4 * i + 3], i)
        cache = EncoderDecoderCache(self_c, cross_c)
        cache.is_updated = {i: True for i in range(L)}
        # positions from the cache's length as a tensor op (a traced shape would be frozen into the graph)
        past_len = torch.ones_like(past[0][0, 0, :, 0]).sum().to(torch.long)
        pos = torch.cumsum(torch.ones_like(input_ids), 1) - 1 + past_len
        # the decoder runs cross-attention only when given encoder states; with the cross cache marked updated it reads
        # the cached keys/values and never these values (a [b, T, d] view of layer 0's cached keys)
        k0 = past[2]
        enc = k0.transpose(1, 2).reshape(k0.shape[0], k0.shape[2], -1)
        o = s.m.model.decoder(input_ids=input_ids, encoder_hidden_states=enc, past_key_values=cache, use_cache=True, position_ids=pos)
        return (s.m.proj_out(o.last_hidden_state), *flat(o.past_key_values, False))

names = lambda p, enc: sum([[f"{p}.{i}.decoder.key", f"{p}.{i}.decoder.value"] + ([f"{p}.{i}.encoder.key", f"{p}.{i}.encoder.value"] if enc else []) for i in range(L)], [])
with torch.no_grad():
    torch.onnx.export(Enc(model), (x,), os.path.join(out, "encoder_model.onnx"), input_names=["input_features"],
                      output_names=["last_hidden_state"], dynamic_axes={"input_features": {0: "batch_size"}}, opset_version=14, dynamo=False)
    hs = model.model.encoder(x).last_hidden_state
    ids = torch.tensor([[271, 272, 275]])
    torch.onnx.export(Dec(model), (ids, hs), os.path.join(out, "decoder_model.onnx"), input_names=["input_ids", "encoder_hidden_states"],
                      output_names=["logits"] + names("present", True),
                      dynamic_axes={"input_ids": {0: "batch_size", 1: "decoder_sequence_length"}, "encoder_hidden_states": {0: "batch_size"}},
                      opset_version=14, dynamo=False)
    first = Dec(model)(ids, hs)
    past = list(first[1:])
    pin = names("past_key_values", True)
    dyn = {"input_ids": {0: "batch_size"}}
    for n in pin: dyn[n] = {0: "batch_size", 2: "past_decoder_sequence_length" if ".decoder." in n else "encoder_sequence_length_out"}
    torch.onnx.export(DecPast(model), (torch.tensor([[300]]), *past), os.path.join(out, "decoder_with_past_model.onnx"),
                      input_names=["input_ids"] + pin, output_names=["logits"] + names("present", False), dynamic_axes=dyn,
                      opset_version=14, dynamo=False)
print(json.dumps(ref))

# decoder_model_merged.onnx as optimum merges the two: one If on use_cache_branch, the with-past graph as then_branch
# (its cross-attention cache passed through as the encoder presents), the first-pass graph as else_branch
import onnx
from onnx import helper, TensorProto
first_m, past_m = onnx.load(os.path.join(out, "decoder_model.onnx")), onnx.load(os.path.join(out, "decoder_with_past_model.onnx"))

def shape_of(name):
    return ["batch_size", "decoder_sequence_length", V] if name == "logits" else ["batch_size", H, f"{name}_length", D // H]

def branch(m, prefix, extra_identity):
    g = m.graph
    keep = {i.name for i in g.input} | {o.name for o in g.output}
    def ren(n): return n if n in {i.name for i in g.input} or n == "" else prefix + n
    nodes = []
    for n in g.node:
        c = onnx.NodeProto(); c.CopyFrom(n)
        del c.input[:]; c.input.extend([ren(x) for x in n.input])
        del c.output[:]; c.output.extend([ren(x) for x in n.output])
        c.name = prefix + n.name
        nodes.append(c)
    inits = []
    for t in g.initializer:
        c = onnx.TensorProto(); c.CopyFrom(t); c.name = ren(t.name); inits.append(c)
    outs = [helper.make_tensor_value_info(ren(o.name), TensorProto.FLOAT, shape_of(o.name)) for o in g.output]
    for src, dst in extra_identity:
        nodes.append(helper.make_node("Identity", [src], [prefix + dst]))
        outs.append(helper.make_tensor_value_info(prefix + dst, TensorProto.FLOAT, shape_of(dst)))
    return helper.make_graph(nodes, prefix + "graph", [], outs, inits), [o.name for o in g.output] + [d for _, d in extra_identity]

enc_pass = [(f"past_key_values.{i}.encoder.{kv}", f"present.{i}.encoder.{kv}") for i in range(L) for kv in ("key", "value")]
then_g, then_names = branch(past_m, "then_", enc_pass)
else_g, else_names = branch(first_m, "else_", [])
order = ["logits"] + names("present", True)
def reorder(g, got):  # both branches give their outputs in one order
    by = {n: o for n, o in zip(got, list(g.output))}
    del g.output[:]; g.output.extend([by[n] for n in order])
reorder(then_g, then_names); reorder(else_g, else_names)
iff = helper.make_node("If", ["use_cache_branch"], order, then_branch=then_g, else_branch=else_g, name="optimum::if")
ins = [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", "decoder_sequence_length"]),
       helper.make_tensor_value_info("encoder_hidden_states", TensorProto.FLOAT, ["batch_size", "encoder_sequence_length", D])]
ins += [helper.make_tensor_value_info(n, TensorProto.FLOAT, ["batch_size", H, "past_sequence_length", D // H]) for n in pin]
ins.append(helper.make_tensor_value_info("use_cache_branch", TensorProto.BOOL, [1]))
outs = [helper.make_tensor_value_info(n, TensorProto.FLOAT, shape_of(n)) for n in order]
merged = helper.make_model(helper.make_graph([iff], "decoder_merged", ins, outs), opset_imports=first_m.opset_import, ir_version=first_m.ir_version)
onnx.checker.check_model(merged)
onnx.save(merged, os.path.join(out, "decoder_model_merged.onnx"))
