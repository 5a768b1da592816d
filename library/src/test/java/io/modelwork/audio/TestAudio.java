package io.modelwork.audio;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes test audio: WAV files of any PCM depth or float, and compressed files through FFmpeg's encoders. */
final class TestAudio {
    private TestAudio() {}

    /** channels × frames of a sine at {@code hz} (channel c at amplitude amp/(c+1)). */
    static float[][] sine(int rate, double seconds, double hz, double amp, int channels) {
        int n = (int) Math.round(rate * seconds);
        float[][] x = new float[channels][n];
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < n; i++) x[c][i] = (float) (amp / (c + 1) * Math.sin(2 * Math.PI * hz * i / rate));
        return x;
    }

    /** A WAV file: bits 8/16/24/32 integer PCM, or 32 with {@code floating} (format 3). */
    static Path wav(Path file, float[][] x, int rate, int bits, boolean floating) throws IOException {
        int ch = x.length, n = x[0].length, bps = bits / 8;
        ByteBuffer b = ByteBuffer.allocate(44 + n * ch * bps).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + n * ch * bps).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) (floating ? 3 : 1)).putShort((short) ch).putInt(rate).putInt(rate * ch * bps)
                .putShort((short) (ch * bps)).putShort((short) bits).put("data".getBytes()).putInt(n * ch * bps);
        for (int i = 0; i < n; i++)
            for (int c = 0; c < ch; c++) {
                double v = x[c][i];
                if (floating) b.putFloat((float) v);
                else if (bits == 8) b.put((byte) (Math.round(v * 127) + 128));
                else if (bits == 16) b.putShort((short) Math.round(v * 32767));
                else if (bits == 24) { int s = (int) Math.round(v * 8388607); b.put((byte) s).put((byte) (s >> 8)).put((byte) (s >> 16)); }
                else b.putInt((int) Math.round(v * 2147483647.0));
            }
        Files.write(file, b.array());
        return file;
    }

    /** An encoded file (format "flac", "mp3", "ogg") through FFmpeg's recorder. */
    static Path encode(Path file, float[][] x, int rate, String format, int codec) throws Exception {
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), x.length)) {
            r.setFormat(format);
            r.setSampleRate(rate);
            r.setAudioCodec(codec);
            r.setAudioOption("strict", "experimental");
            r.start();
            int n = x[0].length, step = 4096;
            for (int i = 0; i < n; i += step) {
                int k = Math.min(step, n - i);
                float[] inter = new float[k * x.length];
                for (int j = 0; j < k; j++) for (int c = 0; c < x.length; c++) inter[j * x.length + c] = x[c][i + j];
                r.recordSamples(rate, x.length, FloatBuffer.wrap(inter));
            }
            r.stop();
        }
        return file;
    }
}
