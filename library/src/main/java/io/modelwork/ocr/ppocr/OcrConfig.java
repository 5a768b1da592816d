package io.modelwork.ocr.ppocr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;

/**
 * The PP-OCR pipeline's settings, with PaddleOCR's inference defaults ({@code tools/infer/utility.py}, v2.6+):
 * detection side limit 960 ({@code limit_type='max'}), {@code det_db_thresh} 0.3, {@code det_db_box_thresh} 0.6,
 * {@code det_db_unclip_ratio} 1.5, {@code min_size} 3, angle classifier on with {@code cls_thresh} 0.9 and input
 * 3×48×192, recognition input height 48 and base width 320, batches of 6, {@code drop_score} 0.5.
 */
public record OcrConfig(int limitSide, double thresh, double boxThresh, double unclipRatio, int minSize,
                        boolean useCls, double clsThresh, int clsWidth, int recHeight, int recWidth, int batch,
                        double dropScore) {

    public static OcrConfig defaults() { return new OcrConfig(960, 0.3, 0.6, 1.5, 3, true, 0.9, 192, 48, 320, 6, 0.5); }

    public DbPostProcess.Params db() { return new DbPostProcess.Params(thresh, boxThresh, unclipRatio, minSize, 1000); }

    public OcrConfig withDet(int side, double t, double bt, double ur) {
        return new OcrConfig(side, t, bt, ur, minSize, useCls, clsThresh, clsWidth, recHeight, recWidth, batch, dropScore);
    }

    public OcrConfig withDropScore(double d) {
        return new OcrConfig(limitSide, thresh, boxThresh, unclipRatio, minSize, useCls, clsThresh, clsWidth, recHeight, recWidth, batch, d);
    }

    public OcrConfig withCls(boolean on) {
        return new OcrConfig(limitSide, thresh, boxThresh, unclipRatio, minSize, on, clsThresh, clsWidth, recHeight, recWidth, batch, dropScore);
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("limit_side_len", limitSide).put("limit_type", "max").put("thresh", thresh).put("box_thresh", boxThresh)
                .put("unclip_ratio", unclipRatio).put("min_size", minSize).put("use_angle_cls", useCls)
                .put("cls_thresh", clsThresh).put("cls_image_width", clsWidth).put("rec_image_height", recHeight)
                .put("rec_image_width", recWidth).put("batch", batch).put("drop_score", dropScore);
        return o;
    }

    public static OcrConfig fromJson(JsonNode o) {
        OcrConfig d = defaults();
        return new OcrConfig(o.path("limit_side_len").asInt(d.limitSide), o.path("thresh").asDouble(d.thresh),
                o.path("box_thresh").asDouble(d.boxThresh), o.path("unclip_ratio").asDouble(d.unclipRatio),
                o.path("min_size").asInt(d.minSize), o.path("use_angle_cls").asBoolean(d.useCls),
                o.path("cls_thresh").asDouble(d.clsThresh), o.path("cls_image_width").asInt(d.clsWidth),
                o.path("rec_image_height").asInt(d.recHeight), o.path("rec_image_width").asInt(d.recWidth),
                o.path("batch").asInt(d.batch), o.path("drop_score").asDouble(d.dropScore));
    }
}
