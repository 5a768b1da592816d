package io.modelwork.tracking.track;

import io.modelwork.tracking.detect.Detection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The plain baseline: detections with score ≥ {@code thresh} are matched greedily (highest IoU first, IoU ≥
 * {@code minIou}) to the previous frame's boxes of the live tracks; a track not matched for more than {@code maxAge}
 * frames ends; every unmatched detection starts a track. No motion model, no low-score association.
 */
public final class IouTracker implements Tracker {
    private final double thresh, minIou;
    private final int maxAge;
    private final List<double[]> boxes = new ArrayList<>(); // x1,y1,x2,y2
    private final List<int[]> meta = new ArrayList<>(); // id, lastFrame
    private int frame, nextId = 1;

    public IouTracker(double thresh, double minIou, int maxAge) {
        this.thresh = thresh;
        this.minIou = minIou;
        this.maxAge = maxAge;
    }

    @Override public List<TrackBox> update(List<Detection> dets) {
        frame++;
        List<Detection> d = new ArrayList<>();
        for (Detection x : dets) if (x.score() >= thresh) d.add(x);
        List<double[]> pairs = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++)
            for (int j = 0; j < d.size(); j++) {
                Detection x = d.get(j);
                double v = ByteTracker.iou(boxes.get(i), new double[]{x.x1(), x.y1(), x.x2(), x.y2()});
                if (v >= minIou) pairs.add(new double[]{v, i, j});
            }
        pairs.sort(Comparator.comparingDouble((double[] a) -> -a[0]));
        boolean[] ti = new boolean[boxes.size()], dj = new boolean[d.size()];
        List<TrackBox> out = new ArrayList<>();
        for (double[] pr : pairs) {
            int i = (int) pr[1], j = (int) pr[2];
            if (ti[i] || dj[j]) continue;
            ti[i] = dj[j] = true;
            Detection x = d.get(j);
            boxes.set(i, new double[]{x.x1(), x.y1(), x.x2(), x.y2()});
            meta.get(i)[1] = frame;
            out.add(new TrackBox(frame, meta.get(i)[0], x.x1(), x.y1(), x.width(), x.height(), x.score()));
        }
        for (int i = boxes.size() - 1; i >= 0; i--)
            if (!ti[i] && frame - meta.get(i)[1] > maxAge) { boxes.remove(i); meta.remove(i); }
        for (int j = 0; j < d.size(); j++) {
            if (dj[j]) continue;
            Detection x = d.get(j);
            boxes.add(new double[]{x.x1(), x.y1(), x.x2(), x.y2()});
            meta.add(new int[]{nextId, frame});
            out.add(new TrackBox(frame, nextId++, x.x1(), x.y1(), x.width(), x.height(), x.score()));
        }
        return out;
    }
}
