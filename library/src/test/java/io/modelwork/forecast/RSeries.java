package io.modelwork.forecast;

import io.modelwork.core.Assets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

/** Reads the classic R series from {@code data/forecasting/R_*.csv} (columns time,year,period,value). */
final class RSeries {
    private RSeries() {}

    static double[] load(String name) {
        try {
            List<String> lines = Files.readAllLines(Assets.data("forecasting/R_" + name + ".csv"));
            double[] out = new double[lines.size() - 1];
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).split(",");
                out[i - 1] = Double.parseDouble(f[f.length - 1].replace("\"", ""));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
