package io.modelwork.audio;

import java.nio.file.Path;

/** Decoded mono audio: float samples in [-1, 1] at {@code sampleRate}, and the file they came from (may be null). */
public record Audio(float[] samples, int sampleRate, Path source) {
    public double durationSeconds() { return (double) samples.length / sampleRate; }

    /** Samples {@code [from, to)} as a new clip. */
    public Audio slice(int from, int to) {
        int a = Math.max(0, Math.min(from, samples.length)), b = Math.max(a, Math.min(to, samples.length));
        return new Audio(java.util.Arrays.copyOfRange(samples, a, b), sampleRate, source);
    }

    /**
     * 16-bit little-endian PCM of the samples (what Vosk and WAV files take): x·32768 rounded and clamped, the inverse of
     * FFmpeg's s16 → float conversion, so 16-bit input comes back bit-exact.
     */
    public byte[] pcm16() {
        byte[] out = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            int v = (int) Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32768.0)));
            out[2 * i] = (byte) v;
            out[2 * i + 1] = (byte) (v >> 8);
        }
        return out;
    }

    /** A 16-bit PCM WAV file of the samples (for audio players in reports). */
    public byte[] wav() {
        byte[] pcm = pcm16();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + pcm.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + pcm.length).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(sampleRate).putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(pcm.length).put(pcm);
        return b.array();
    }
}
