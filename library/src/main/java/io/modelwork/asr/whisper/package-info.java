/**
 * {@code asr.whisper}: Whisper on ONNX Runtime from a Hugging Face optimum export the user brings.
 * {@link io.modelwork.asr.whisper.LogMel} (the front end, equal to Whisper's {@code audio.py}),
 * {@link io.modelwork.asr.whisper.WhisperTokenizer} ({@code tokenizer.json} through DJL's Hugging Face tokenizers),
 * {@link io.modelwork.asr.whisper.WhisperConfig} (special tokens, languages, suppressed tokens),
 * {@link io.modelwork.asr.whisper.WhisperDecoder} (merged / with-past / cache-less decoder graphs),
 * {@link io.modelwork.asr.whisper.LogitRules} and {@link io.modelwork.asr.whisper.WhisperSearch} (OpenAI's
 * {@code decoding.py}: suppression, timestamp rules, greedy and beam search, language detection) and
 * {@link io.modelwork.asr.whisper.WhisperEngine} ({@code transcribe.py}'s 30-s windows). Imports
 * {@code io.modelwork.asr}, {@code io.modelwork.audio}, {@code io.modelwork.onnx} (the only way to ONNX Runtime),
 * {@code io.modelwork.core}, {@code io.modelwork.assets} (the cache DJL unpacks its native library into) and DJL's
 * tokenizers.
 */
package io.modelwork.asr.whisper;
