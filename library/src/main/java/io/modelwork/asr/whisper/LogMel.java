package io.modelwork.asr.whisper;

/**
 * Whisper's log-mel front end ({@code whisper/audio.py log_mel_spectrogram}): 16 kHz audio, optional zero padding on
 * the right, a periodic Hann window of 400 samples, STFT with hop 160 and {@code center=True} (reflect padding by 200),
 * power spectrum of the 201 bins with the last frame dropped, mel filters of librosa ({@code filters.mel(sr=16000,
 * n_fft=400, n_mels=80|128)}: Slaney mel scale, Slaney area normalisation, as Whisper's {@code mel_filters.npz}),
 * {@code log10(max(mel, 1e-10))}, floored at the maximum − 8, then {@code (x + 4) / 4}.
 *
 * <p>Why hand-written: the 400-point DFT is not a power of two (commons-math's FFT takes only those) and no other FFT
 * is a dependency; a direct DFT with precomputed twiddles is exact and fast enough (30 s of audio in well under a
 * second). {@code WhisperLogMelTest} checks the filters and the output against Whisper's own code.
 */
public final class LogMel {
    public static final int RATE = 16_000, N_FFT = 400, HOP = 160, BINS = N_FFT / 2 + 1, CHUNK_SAMPLES = 30 * RATE;

    private LogMel() {}

    /** librosa's Slaney mel filterbank, [nMels][201], as float32 values (what Whisper stores). */
    public static float[][] filters(int nMels) {
        if (nMels != 80 && nMels != 128) throw new IllegalArgumentException("Whisper uses 80 or 128 mel bins, not " + nMels);
        double[] fft = new double[BINS];
        for (int i = 0; i < BINS; i++) fft[i] = (RATE / 2.0) * i / (BINS - 1);
        double lo = hzToMel(0), hi = hzToMel(RATE / 2.0);
        double[] melF = new double[nMels + 2];
        for (int i = 0; i < melF.length; i++) melF[i] = melToHz(lo + (hi - lo) * i / (melF.length - 1));
        float[][] w = new float[nMels][BINS];
        for (int m = 0; m < nMels; m++) {
            double d0 = melF[m + 1] - melF[m], d1 = melF[m + 2] - melF[m + 1];
            double enorm = 2.0 / (melF[m + 2] - melF[m]);
            for (int k = 0; k < BINS; k++) {
                double lower = -(melF[m] - fft[k]) / d0, upper = (melF[m + 2] - fft[k]) / d1;
                w[m][k] = (float) (Math.max(0, Math.min(lower, upper)) * enorm);
            }
        }
        return w;
    }

    static double hzToMel(double f) {
        double fSp = 200.0 / 3, minLogHz = 1000, minLogMel = minLogHz / fSp, logstep = Math.log(6.4) / 27.0;
        return f >= minLogHz ? minLogMel + Math.log(f / minLogHz) / logstep : f / fSp;
    }

    static double melToHz(double m) {
        double fSp = 200.0 / 3, minLogHz = 1000, minLogMel = minLogHz / fSp, logstep = Math.log(6.4) / 27.0;
        return m >= minLogMel ? minLogHz * Math.exp(logstep * (m - minLogMel)) : fSp * m;
    }

    /** The log-mel spectrogram [nMels][frames] of {@code audio} with {@code padding} zeros appended. */
    public static float[][] compute(float[] audio, int nMels, int padding) {
        int n = audio.length + padding, half = N_FFT / 2;
        if (n <= half) throw new IllegalArgumentException("audio too short for the STFT: " + n + " samples");
        double[] x = new double[n + 2 * half];
        for (int i = 0; i < n; i++) x[half + i] = i < audio.length ? audio[i] : 0;
        for (int i = 1; i <= half; i++) { // reflect (edge sample not repeated)
            x[half - i] = x[half + i];
            x[half + n - 1 + i] = x[half + n - 1 - i];
        }
        int frames = 1 + n / HOP - 1; // torch.stft gives 1 + n/hop frames; Whisper drops the last
        double[] win = new double[N_FFT], cos = new double[N_FFT], sin = new double[N_FFT];
        for (int i = 0; i < N_FFT; i++) {
            win[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / N_FFT);
            cos[i] = Math.cos(2 * Math.PI * i / N_FFT);
            sin[i] = Math.sin(2 * Math.PI * i / N_FFT);
        }
        float[][] fb = filters(nMels);
        double[][] mel = new double[nMels][frames];
        double[] seg = new double[N_FFT], power = new double[BINS];
        for (int t = 0; t < frames; t++) {
            int off = t * HOP;
            for (int i = 0; i < N_FFT; i++) seg[i] = x[off + i] * win[i];
            for (int k = 0; k < BINS; k++) {
                double re = 0, im = 0;
                int idx = 0;
                for (int i = 0; i < N_FFT; i++) {
                    re += seg[i] * cos[idx];
                    im -= seg[i] * sin[idx];
                    idx += k;
                    if (idx >= N_FFT) idx -= N_FFT;
                }
                power[k] = re * re + im * im;
            }
            for (int m = 0; m < nMels; m++) {
                double s = 0;
                float[] row = fb[m];
                for (int k = 0; k < BINS; k++) s += row[k] * power[k];
                mel[m][t] = s;
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double[] r : mel) for (int t = 0; t < frames; t++) { r[t] = Math.log10(Math.max(r[t], 1e-10)); max = Math.max(max, r[t]); }
        float[][] out = new float[nMels][frames];
        for (int m = 0; m < nMels; m++) for (int t = 0; t < frames; t++) out[m][t] = (float) ((Math.max(mel[m][t], max - 8.0) + 4.0) / 4.0);
        return out;
    }
}
