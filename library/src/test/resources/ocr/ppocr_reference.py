"""PaddleOCR's PP-OCR inference, transcribed from PaddleOCR (tools/infer/predict_det.py, predict_cls.py,
predict_rec.py, predict_system.py, ppocr/postprocess/db_postprocess.py, rec_postprocess.py, ppocr/data/imaug
DetResizeForTest/NormalizeImage) with OpenCV, NumPy and ONNX Runtime, to write the fixture PpOcrParityTest compares
the Java pipeline with. The one substitution: pyclipper is not installable here, so the unclip uses shapely's buffer
with round joins (quad_segs 8) — PaddleOCR's own docs note the offset only needs to grow the box by `distance`.

  [DROP=0.5] [DET=… CLS=… REC=… DICT=…] python ppocr_reference.py MODEL_DIR OUT.json IMAGE...   (DROP: drop_score)

The file names default to lang=ch's (ch_PP-OCRv4); ppocr_reference_en.json was written with lang=en's:
  DET=en_PP-OCRv3_det_infer.onnx REC=en_PP-OCRv4_rec.onnx DICT=en_dict.txt python ppocr_reference.py DIR ppocr_reference_en.json …
"""
import json, math, sys
import cv2, numpy as np, onnxruntime as ort
from shapely.geometry import Polygon

model_dir, out_file, images = sys.argv[1], sys.argv[2], sys.argv[3:]
so = ort.SessionOptions(); so.intra_op_num_threads = 2
env = __import__("os").environ
det = ort.InferenceSession(model_dir + "/" + env.get("DET", "ch_PP-OCRv4_det_infer.onnx"), so)
cls = ort.InferenceSession(model_dir + "/" + env.get("CLS", "ch_ppocr_mobile_v2.0_cls_infer.onnx"), so)
rec = ort.InferenceSession(model_dir + "/" + env.get("REC", "ch_PP-OCRv4_rec_infer.onnx"), so)
chars = ["blank"] + [l.rstrip("\r\n") for l in open(model_dir + "/" + env.get("DICT", "ppocr_keys_v1.txt"), encoding="utf-8")] + [" "]

def det_resize(img, limit=960):
    h, w = img.shape[:2]
    ratio = float(limit) / max(h, w) if max(h, w) > limit else 1.0
    rh, rw = int(h * ratio), int(w * ratio)
    rh = max(int(round(rh / 32) * 32), 32); rw = max(int(round(rw / 32) * 32), 32)
    return cv2.resize(img, (int(rw), int(rh)))

def get_mini_boxes(contour):
    bb = cv2.minAreaRect(contour)
    pts = sorted(list(cv2.boxPoints(bb)), key=lambda x: x[0])
    i1, i4 = (0, 1) if pts[1][1] > pts[0][1] else (1, 0)
    i2, i3 = (2, 3) if pts[3][1] > pts[2][1] else (3, 2)
    return [pts[i1], pts[i2], pts[i3], pts[i4]], min(bb[1])

def box_score_fast(bitmap, _box):
    h, w = bitmap.shape[:2]; box = _box.copy()
    xmin = np.clip(np.floor(box[:, 0].min()).astype("int32"), 0, w - 1); xmax = np.clip(np.ceil(box[:, 0].max()).astype("int32"), 0, w - 1)
    ymin = np.clip(np.floor(box[:, 1].min()).astype("int32"), 0, h - 1); ymax = np.clip(np.ceil(box[:, 1].max()).astype("int32"), 0, h - 1)
    mask = np.zeros((ymax - ymin + 1, xmax - xmin + 1), dtype=np.uint8)
    box[:, 0] = box[:, 0] - xmin; box[:, 1] = box[:, 1] - ymin
    cv2.fillPoly(mask, box.reshape(1, -1, 2).astype("int32"), 1)
    return cv2.mean(bitmap[ymin:ymax + 1, xmin:xmax + 1], mask)[0]

def unclip(box, ratio):
    poly = Polygon(box); distance = poly.area * ratio / poly.length
    return np.array(Polygon(box.astype(np.int64)).buffer(distance, quad_segs=8, join_style="round").exterior.coords[:-1]).round()

def boxes_from_bitmap(pred, bitmap, dw, dh, box_thresh=0.6, ratio=1.5, min_size=3):
    height, width = bitmap.shape
    contours, _ = cv2.findContours((bitmap * 255).astype(np.uint8), cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    boxes = []
    for contour in contours[:1000]:
        points, sside = get_mini_boxes(contour)
        if sside < min_size: continue
        points = np.array(points)
        if box_thresh > box_score_fast(pred, points.reshape(-1, 2)): continue
        box = unclip(points, ratio).reshape(-1, 1, 2).astype(np.float32)
        box, sside = get_mini_boxes(box)
        if sside < min_size + 2: continue
        box = np.array(box)
        box[:, 0] = np.clip(np.round(box[:, 0] / width * dw), 0, dw); box[:, 1] = np.clip(np.round(box[:, 1] / height * dh), 0, dh)
        boxes.append(box.astype("int32"))
    return boxes

def order_points_clockwise(pts):
    rect = np.zeros((4, 2), dtype="float32"); s = pts.sum(axis=1)
    rect[0] = pts[np.argmin(s)]; rect[2] = pts[np.argmax(s)]
    tmp = np.delete(pts, (np.argmin(s), np.argmax(s)), axis=0); diff = np.diff(np.array(tmp), axis=1)
    rect[1] = tmp[np.argmin(diff)]; rect[3] = tmp[np.argmax(diff)]
    return rect

def detect(img):
    r = det_resize(img).astype("float32") / 255.0
    r = (r - np.array([0.485, 0.456, 0.406], dtype="float32")) / np.array([0.229, 0.224, 0.225], dtype="float32")
    x = r.transpose(2, 0, 1)[None].astype("float32")
    pred = det.run(None, {det.get_inputs()[0].name: x})[0][0, 0]
    boxes = boxes_from_bitmap(pred, pred > 0.3, img.shape[1], img.shape[0])
    out = []
    for b in boxes:
        b = order_points_clockwise(b.astype("float32"))
        b[:, 0] = np.clip(b[:, 0], 0, img.shape[1] - 1); b[:, 1] = np.clip(b[:, 1], 0, img.shape[0] - 1)
        if int(np.linalg.norm(b[0] - b[1])) <= 3 or int(np.linalg.norm(b[0] - b[3])) <= 3: continue
        out.append(b)
    return out

def sorted_boxes(dt):
    b = sorted(dt, key=lambda x: (x[0][1], x[0][0])); b = list(b)
    for i in range(len(b) - 1):
        for j in range(i, -1, -1):
            if abs(b[j + 1][0][1] - b[j][0][1]) < 10 and (b[j + 1][0][0] < b[j][0][0]): b[j], b[j + 1] = b[j + 1], b[j]
            else: break
    return b

def crop(img, pts):
    w = int(max(np.linalg.norm(pts[0] - pts[1]), np.linalg.norm(pts[2] - pts[3])))
    h = int(max(np.linalg.norm(pts[0] - pts[3]), np.linalg.norm(pts[1] - pts[2])))
    M = cv2.getPerspectiveTransform(pts.astype("float32"), np.float32([[0, 0], [w, 0], [w, h], [0, h]]))
    d = cv2.warpPerspective(img, M, (w, h), borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC)
    return np.rot90(d) if d.shape[0] * 1.0 / d.shape[1] >= 1.5 else d

def norm_img(img, h, W):
    rw = min(W, int(math.ceil(h * img.shape[1] / float(img.shape[0]))))
    r = cv2.resize(img, (rw, h)).astype("float32").transpose(2, 0, 1) / 255
    r = (r - 0.5) / 0.5
    p = np.zeros((3, h, W), dtype=np.float32); p[:, :, 0:rw] = r
    return p

def classify(crops):
    crops = list(crops)
    for beg in range(0, len(crops), 6):
        x = np.stack([norm_img(c, 48, 192) for c in crops[beg:beg + 6]])
        prob = cls.run(None, {cls.get_inputs()[0].name: x})[0]
        for k, p in enumerate(prob):
            if p.argmax() == 1 and p[1] > 0.9: crops[beg + k] = cv2.rotate(crops[beg + k], 1)
    return crops

def recognise(crops):
    idx = np.argsort(np.array([c.shape[1] / float(c.shape[0]) for c in crops]), kind="stable"); res = [None] * len(crops)
    for beg in range(0, len(crops), 6):
        ids = idx[beg:beg + 6]; mr = 320 / 48
        for i in ids: mr = max(mr, crops[i].shape[1] / float(crops[i].shape[0]))
        W = int(48 * mr)
        x = np.stack([norm_img(crops[i], 48, W) for i in ids])
        preds = rec.run(None, {rec.get_inputs()[0].name: x})[0]
        for k, i in enumerate(ids):
            ti, tp = preds[k].argmax(axis=1), preds[k].max(axis=1)
            sel = np.ones(len(ti), dtype=bool); sel[1:] = ti[1:] != ti[:-1]; sel &= ti != 0
            conf = tp[sel] if sel.any() else np.array([0.0])
            res[i] = ("".join(chars[t] for t in ti[sel]), float(np.mean(conf)))
    return res

DROP = float(__import__("os").environ.get("DROP", "0.5"))
out = {}
for f in images:
    img = cv2.imread(f, cv2.IMREAD_UNCHANGED)
    if img.ndim == 2: img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
    if img.shape[2] == 4:  # paddleocr.py alpha_to_color, white
        a = img[:, :, 3:4] / 255.0; img = (255 * (1 - a) + img[:, :, :3] * a).astype(np.uint8)
    boxes = sorted_boxes(detect(img))
    rec_res = recognise(classify([crop(img, b.copy()) for b in boxes]))
    out[f.split("/")[-1]] = [{"box": [float(v) for v in b.reshape(-1)], "text": t, "score": s} for b, (t, s) in zip(boxes, rec_res) if s >= DROP]
json.dump(out, open(out_file, "w"), indent=1, ensure_ascii=False)
