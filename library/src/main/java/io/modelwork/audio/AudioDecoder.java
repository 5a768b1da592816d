package io.modelwork.audio;

import io.modelwork.core.ModelworkException;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Decodes audio through FFmpeg (JavaCV's {@link FFmpegFrameGrabber}): any container and codec FFmpeg reads, the
 * audio track of a video included. {@link #decode} asks FFmpeg for mono float samples at the target rate, so the
 * downmix and the resampling are libswresample's (a proper band-limited resampler, not sample dropping).
 * {@link #profile} reads the file as it is (original rate and channels) for level and clipping.
 */
public final class AudioDecoder {
    private AudioDecoder() {}

    /** The rate every speech model here takes. */
    public static final int RATE = 16_000;

    static { avutil.av_log_set_level(avutil.AV_LOG_ERROR); }

    /** Mono float samples at 16 kHz. */
    public static Audio decode(Path file) { return decode(file, RATE); }

    /** Mono float samples at {@code rate}, downmixed and resampled by FFmpeg. */
    public static Audio decode(Path file, int rate) {
        check(file);
        try (FFmpegFrameGrabber g = open(file)) {
            g.setSampleRate(rate);
            g.setAudioChannels(1);
            g.setSampleMode(FrameGrabber.SampleMode.FLOAT);
            start(g, file);
            float[] out = new float[1 << 16];
            int n = 0;
            Frame f;
            while ((f = grab(g, file)) != null) {
                if (f.samples == null) continue;
                FloatBuffer b = (FloatBuffer) f.samples[0];
                int k = b.remaining();
                if (n + k > out.length) out = Arrays.copyOf(out, Math.max(out.length * 2, n + k));
                b.get(out, n, k);
                n += k;
            }
            return new Audio(Arrays.copyOf(out, n), rate, file);
        } catch (FrameGrabber.Exception e) {
            throw unreadable(file, e);
        }
    }

    /** The file as it is: format, codec, rate, channels, length, level and clipping (one pass, no conversion). */
    public static AudioProfile profile(Path file) {
        check(file);
        try (FFmpegFrameGrabber g = open(file)) {
            g.setSampleMode(FrameGrabber.SampleMode.FLOAT);
            start(g, file);
            int channels = g.getAudioChannels(), rate = g.getSampleRate();
            long samples = 0, clipped = 0;
            double sumSq = 0, peak = 0;
            Frame f;
            while ((f = grab(g, file)) != null) {
                if (f.samples == null) continue;
                for (Buffer raw : f.samples) {
                    FloatBuffer b = (FloatBuffer) raw;
                    for (int i = b.position(); i < b.limit(); i++) {
                        double x = b.get(i), a = Math.abs(x);
                        sumSq += x * x;
                        if (a > peak) peak = a;
                        if (a >= 0.999) clipped++;
                        samples++;
                    }
                }
            }
            long frames = channels > 0 ? samples / channels : 0;
            double rms = samples == 0 ? 0 : Math.sqrt(sumSq / samples);
            return new AudioProfile(file, g.getFormat(), g.getAudioCodecName(), rate, channels, frames,
                    20 * Math.log10(Math.max(rms, 1e-10)), 20 * Math.log10(Math.max(peak, 1e-10)),
                    samples == 0 ? 0 : (double) clipped / samples);
        } catch (FrameGrabber.Exception e) {
            throw unreadable(file, e);
        }
    }

    private static void check(Path file) {
        if (!Files.isRegularFile(file))
            throw new ModelworkException("Audio file not found", String.valueOf(file), "check the path (a folder of audio files or one file)");
        try {
            if (Files.size(file) == 0)
                throw new ModelworkException("The audio file is empty (0 bytes)", file.toString(), "re-export or re-download the file");
        } catch (java.io.IOException e) {
            throw new ModelworkException("Cannot read the audio file: " + e.getMessage(), file.toString(), "check its permissions");
        }
    }

    private static FFmpegFrameGrabber open(Path file) {
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
        g.setOption("analyzeduration", "10000000");
        return g;
    }

    private static void start(FFmpegFrameGrabber g, Path file) throws FrameGrabber.Exception {
        g.start();
        if (!g.hasAudio() || g.getAudioChannels() <= 0)
            throw new ModelworkException("The file has no audio track", file.toString(),
                    "give an audio file (WAV, FLAC, MP3, OGG…) or a video with sound");
    }

    private static Frame grab(FFmpegFrameGrabber g, Path file) throws FrameGrabber.Exception {
        return g.grabSamples();
    }

    private static ModelworkException unreadable(Path file, Exception e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        return new ModelworkException("FFmpeg cannot decode the audio file (" + msg.strip() + ")", file.toString(),
                "check that the file is a complete audio or video file (a damaged header or a truncated download cannot be read); "
                        + "convert it, e.g. to 16 kHz WAV, if FFmpeg does not know its format", e);
    }
}
