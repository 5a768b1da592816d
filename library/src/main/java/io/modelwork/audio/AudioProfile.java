package io.modelwork.audio;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a file holds before any conversion: container format and codec as FFmpeg names them, sample rate, channels,
 * duration, level (RMS and peak in dBFS over all channels) and the fraction of clipped samples (|x| ≥ 0.999 of full
 * scale). {@link #problems()} lists what makes it unusable (zero-length, silence only); an unreadable file never gets
 * a profile ({@link AudioDecoder#profile} throws).
 */
public record AudioProfile(Path path, String format, String codec, int sampleRate, int channels, long frames,
                           double rmsDbfs, double peakDbfs, double clippedFraction) {

    /** Below this peak level a file is "silence only". */
    public static final double SILENCE_DBFS = -60.0;

    public double durationSeconds() { return sampleRate <= 0 ? 0 : (double) frames / sampleRate; }

    public boolean silent() { return frames > 0 && peakDbfs < SILENCE_DBFS; }

    /** Why this audio cannot be transcribed (empty when it can). */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (frames == 0) p.add("zero-length audio (no samples)");
        else if (silent()) p.add(String.format("silence only (peak %.1f dBFS < %.0f dBFS)", peakDbfs, SILENCE_DBFS));
        return p;
    }

    /** Warnings that do not stop transcription (clipping, a file extension that does not match its content). */
    public List<String> warnings() {
        List<String> w = new ArrayList<>();
        if (clippedFraction > 0.001) w.add(String.format("clipped: %.2f%% of samples at full scale", 100 * clippedFraction));
        String name = path == null ? "" : path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
        if (ext.equals("wav") && format != null && !format.contains("wav"))
            w.add("the file is named .wav but holds " + format + " (" + codec + "); decoded by its content");
        return w;
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("path", path == null ? null : path.toString()).put("format", format).put("codec", codec)
                .put("sample_rate", sampleRate).put("channels", channels).put("duration_s", durationSeconds())
                .put("rms_dbfs", finite(rmsDbfs)).put("peak_dbfs", finite(peakDbfs)).put("clipped_fraction", clippedFraction);
        problems().forEach(o.putArray("problems")::add);
        warnings().forEach(o.putArray("warnings")::add);
        return o;
    }

    private static double finite(double d) { return Double.isFinite(d) ? d : -999.0; }
}
