package io.modelwork.audio;

import io.modelwork.core.Assets;
import io.modelwork.core.ModelworkException;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class AudioDecoderTest {
    @TempDir Path tmp;

    /** Max |decoded − ideal 16 kHz sine| away from the edges: a real resampler reproduces the tone closely. */
    private static double toneError(Audio a, double hz, double amp) {
        double err = 0;
        // find the phase lag by least squares over a few candidate offsets is unnecessary: FFmpeg's resampler is
        // phase-aligned to the input, so compare directly
        for (int i = 800; i < a.samples().length - 800; i++)
            err = Math.max(err, Math.abs(a.samples()[i] - amp * Math.sin(2 * Math.PI * hz * i / a.sampleRate())));
        return err;
    }

    @Test void pcmDepthsAndFloatAreResampledTo16kMono() throws Exception {
        float[][] x = TestAudio.sine(44_100, 1.0, 440, 0.5, 1);
        for (int bits : new int[]{8, 16, 24, 32}) {
            Path f = TestAudio.wav(tmp.resolve("s" + bits + ".wav"), x, 44_100, bits, false);
            Audio a = AudioDecoder.decode(f);
            assertEquals(16_000, a.sampleRate());
            assertEquals(16_000, a.samples().length, 40, "bits " + bits);
            assertTrue(toneError(a, 440, 0.5) < (bits == 8 ? 0.02 : 0.005), "bits " + bits + " error " + toneError(a, 440, 0.5));
            AudioProfile p = AudioDecoder.profile(f);
            assertEquals(44_100, p.sampleRate());
            assertEquals(1, p.channels());
            assertEquals(1.0, p.durationSeconds(), 1e-3);
            assertEquals(20 * Math.log10(0.5 / Math.sqrt(2)), p.rmsDbfs(), 0.1);
            assertTrue(p.problems().isEmpty());
        }
        Path fl = TestAudio.wav(tmp.resolve("float.wav"), x, 44_100, 32, true);
        assertTrue(toneError(AudioDecoder.decode(fl), 440, 0.5) < 0.005);
        assertEquals("pcm_f32le", AudioDecoder.profile(fl).codec());
    }

    @Test void stereo8kIsDownmixedAndUpsampled() throws Exception {
        // left 0.6 amplitude, right 0.3, same phase: FFmpeg's default mono downmix (as ffmpeg -ac 1) is (L+R)/√2
        float[][] x = TestAudio.sine(8_000, 2.0, 300, 0.6, 2);
        Path f = TestAudio.wav(tmp.resolve("stereo8k.wav"), x, 8_000, 16, false);
        AudioProfile p = AudioDecoder.profile(f);
        assertEquals(8_000, p.sampleRate());
        assertEquals(2, p.channels());
        Audio a = AudioDecoder.decode(f);
        assertEquals(32_000, a.samples().length, 80);
        assertTrue(toneError(a, 300, 0.9 / Math.sqrt(2)) < 0.01, "error " + toneError(a, 300, 0.9 / Math.sqrt(2)));
    }

    @Test void flacMp3OggOpusDecode() throws Exception {
        float[][] x = TestAudio.sine(22_050, 1.0, 500, 0.4, 1);
        Path flac = TestAudio.encode(tmp.resolve("t.flac"), x, 22_050, "flac", avcodec.AV_CODEC_ID_FLAC);
        assertTrue(toneError(AudioDecoder.decode(flac), 500, 0.4) < 0.005);
        assertEquals("flac", AudioDecoder.profile(flac).codec());
        Path mp3 = TestAudio.encode(tmp.resolve("t.mp3"), x, 22_050, "mp3", avcodec.AV_CODEC_ID_MP3);
        Audio m = AudioDecoder.decode(mp3);
        AudioProfile mp = AudioDecoder.profile(mp3);
        assertEquals("mp3", mp.codec().replace("mp3float", "mp3"));
        assertEquals(mp.frames() * 16_000.0 / 22_050, m.samples().length, 40);
        float[][] x48 = TestAudio.sine(48_000, 1.0, 500, 0.4, 1);
        Path ogg = TestAudio.encode(tmp.resolve("t.ogg"), x48, 48_000, "ogg", avcodec.AV_CODEC_ID_OPUS);
        AudioProfile op = AudioDecoder.profile(ogg);
        assertEquals("opus", op.codec());
        assertEquals(op.frames() / 3.0, AudioDecoder.decode(ogg).samples().length, 40);
        assertEquals(20 * Math.log10(0.4 / Math.sqrt(2)), op.rmsDbfs(), 0.5);
        // an MP3 renamed .wav is decoded by its content, with a warning
        Path renamed = Files.copy(mp3, tmp.resolve("really_mp3.wav"));
        assertEquals(m.samples().length, AudioDecoder.decode(renamed).samples().length);
        assertTrue(AudioDecoder.profile(renamed).warnings().stream().anyMatch(w -> w.contains("named .wav")),
                AudioDecoder.profile(renamed).warnings().toString());
    }

    @Test void realSpeechFiles() {
        Audio jfk = AudioDecoder.decode(Assets.data("asr/jfk.wav"));
        assertEquals(11.0, jfk.durationSeconds(), 0.01);
        AudioProfile p = AudioDecoder.profile(Assets.data("asr/librivox/sense_and_sensibility_01_austen_64kb-0880.wav"));
        assertTrue(p.durationSeconds() > 1 && p.problems().isEmpty(), p.toJson().toString());
    }

    @Test void badInput() throws Exception {
        Path corrupt = tmp.resolve("corrupt.wav");
        byte[] good = Files.readAllBytes(TestAudio.wav(tmp.resolve("g.wav"), TestAudio.sine(16_000, 0.5, 200, 0.5, 1), 16_000, 16, false));
        for (int i = 0; i < 44; i++) good[i] = (byte) (i * 37);
        Files.write(corrupt, good);
        ModelworkException e = assertThrows(ModelworkException.class, () -> AudioDecoder.decode(corrupt));
        assertTrue(e.where().endsWith("corrupt.wav") && e.what().contains("cannot decode"), e.getMessage());
        Path empty = Files.write(tmp.resolve("empty.wav"), new byte[0]);
        assertThrows(ModelworkException.class, () -> AudioDecoder.profile(empty));
        Path zero = TestAudio.wav(tmp.resolve("zero.wav"), new float[1][0], 16_000, 16, false);
        assertTrue(AudioDecoder.profile(zero).problems().get(0).contains("zero-length"));
        Path silence = TestAudio.wav(tmp.resolve("silence.wav"), new float[1][16_000 * 5], 16_000, 16, false);
        assertTrue(AudioDecoder.profile(silence).problems().get(0).contains("silence only"));
        // an hour of silence (8 kHz, 8-bit: 28.8 MB) is profiled in one streaming pass and flagged
        Path hour = TestAudio.wav(tmp.resolve("hour.wav"), new float[1][8_000 * 3600], 8_000, 8, false);
        AudioProfile hp = AudioDecoder.profile(hour);
        assertEquals(3600.0, hp.durationSeconds(), 1e-6);
        assertTrue(hp.problems().get(0).contains("silence only"), hp.problems().toString());
        // a video without a sound track (PETS2009 vtest.avi)
        ModelworkException noAudio = assertThrows(ModelworkException.class, () -> AudioDecoder.decode(Assets.data("tracking/vtest.avi")));
        assertTrue(noAudio.what().contains("no audio track"), noAudio.getMessage());
        float[][] loud = TestAudio.sine(16_000, 0.5, 200, 1.6, 1);
        for (int i = 0; i < loud[0].length; i++) loud[0][i] = Math.max(-1, Math.min(1, loud[0][i]));
        assertTrue(AudioDecoder.profile(TestAudio.wav(tmp.resolve("clip.wav"), loud, 16_000, 16, false)).clippedFraction() > 0.3);
    }
}
