package io.modelwork.tracking.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Greedy per-class non-maximum suppression (torchvision's {@code batched_nms} semantics: boxes of different classes never suppress each other). */
public final class Nms {
    private Nms() { }

    public static List<Detection> apply(List<Detection> in, double iou) {
        List<Detection> sorted = new ArrayList<>(in);
        sorted.sort(Comparator.comparingDouble((Detection d) -> -d.score()));
        List<Detection> keep = new ArrayList<>();
        boolean[] gone = new boolean[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            if (gone[i]) continue;
            Detection a = sorted.get(i);
            keep.add(a);
            for (int j = i + 1; j < sorted.size(); j++)
                if (!gone[j] && sorted.get(j).cls() == a.cls() && a.iou(sorted.get(j)) > iou) gone[j] = true;
        }
        return keep;
    }
}
