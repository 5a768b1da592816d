/**
 * The shared audio layer (used by speech recognition and speaker diarization): decoding any audio or video file
 * FFmpeg reads (WAV PCM 8/16/24/32-bit and float, FLAC, MP3, OGG, the audio track of videos) through JavaCV, downmixed
 * and resampled to 16 kHz by FFmpeg's own resampler ({@link io.modelwork.audio.AudioDecoder}); the profile of a file
 * (rate, channels, duration, level, clipping) and its validation (unreadable, zero-length, silence only)
 * ({@link io.modelwork.audio.AudioProfile}); Silero VAD v5 speech timestamps as the reference runs them
 * ({@link io.modelwork.audio.SileroVad}); and the cache of models fetched from package registries with pinned SHA-256
 * ({@link io.modelwork.assets.PackageAssets}).
 *
 * <p>Imports only {@code io.modelwork.core}, JavaCV/FFmpeg and ONNX Runtime; never spi, shared, session or a category.
 */
package io.modelwork.audio;
