package io.modelwork.anomaly;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Step;
import io.modelwork.report.StepReport;
import io.modelwork.report.Tables;
import io.modelwork.spi.StepContext;
import io.modelwork.vision.ImageDataset;
import io.modelwork.vision.ImageDataset.Item;
import io.modelwork.vision.ImageInspection;
import io.modelwork.vision.Preprocessing;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.*;

/** attach_dataset, prepare_data and split of the anomaly category. */
final class AnomalyData {
    private AnomalyData() { }

    static StepReport attach(AnomalyState s, Args a, StepContext ctx) {
        Path path = Path.of(a.requireString("path", "give path= (an MVTec-layout folder, a folder of images or a CSV manifest)"));
        String format = a.getString("format", "auto");
        int sample = a.getInt("sample", 0);
        ImageDataset ds = ImageDataset.open(path, format).sample(sample);
        ImageInspection ins = ImageInspection.of(ds, a.getBool("strict", false));
        List<Item> usable = ins.usable();
        boolean hasSplit = usable.stream().anyMatch(i -> i.split().equals("train"));
        long trainNormals = usable.stream().filter(i -> i.normal() && (i.split().equals("train") || (!hasSplit && i.split().isEmpty()))).count();
        if (trainNormals == 0)
            throw new ModelworkException("No normal training images" + (ds.kind().equals("mvtec") ? ": train/good is empty or missing" : ""),
                    ds.root() + (ds.kind().equals("mvtec") ? "/train/good" : ""),
                    "PatchCore learns from normal images only: put defect-free images in train/good (label '" + ImageDataset.NORMAL + "')");
        s.dataPath = path.toAbsolutePath().normalize();
        s.format = ds.kind();
        s.sample = sample;
        s.items = usable;
        s.fingerprint = ins.fingerprint();
        s.threads = ctx.run().threads();
        StepReport r = new StepReport("attach_dataset", "Images: " + ds.root().getFileName());
        ObjectNode b = r.body();
        b.put("path", s.dataPath.toString()).put("format", ds.kind()).put("sample", sample).put("fingerprint", s.fingerprint).put("images", usable.size());
        ObjectNode counts = b.putObject("counts");
        ins.counts().forEach(counts::put);
        b.set("profile", io.modelwork.core.Json.MAPPER.valueToTree(ins.profile()));
        ArrayNode probs = b.putArray("problems");
        Table pt = Table.create("Validation");
        StringColumn kind = StringColumn.create("problem"), file = StringColumn.create("file"), msg = StringColumn.create("detail");
        for (ImageInspection.Problem p : ins.problems()) {
            probs.addObject().put("kind", p.kind()).put("file", p.file()).put("message", p.message());
            kind.append(p.kind());
            file.append(p.file());
            msg.append(p.message());
        }
        pt.addColumns(kind, file, msg);
        r.table(Tables.keyValues("Images per split/class", new LinkedHashMap<>(ins.counts())));
        r.table(Tables.keyValues("Profile", ins.profile()));
        if (!ins.problems().isEmpty()) {
            r.table(pt);
            Map<String, Long> byKind = new TreeMap<>();
            ins.problems().forEach(p -> byKind.merge(p.kind(), 1L, Long::sum));
            r.note("validation found " + byKind + " (unreadable files are left out; strict=true makes them an error)");
        }
        return r;
    }

    static StepReport prepare(AnomalyState s, Args a, StepContext ctx) {
        int resize = a.getInt("resize", 224), crop = a.getInt("crop", 0);
        s.pre = Preprocessing.imagenet(resize, crop);
        s.flips = a.getBool("flips", false);
        s.modelChanged();
        StepReport r = new StepReport("prepare_data", "Image preprocessing (frozen)");
        r.body().set("preprocessing", s.pre.toJson());
        r.body().put("flips", s.flips);
        r.table(Tables.keyValues("Preprocessing", Map.of("resize", resize, "crop", crop, "input_size", s.pre.size(),
                "normalise", "ImageNet mean/std, RGB", "flips", s.flips)));
        if (s.flips) r.note("flips=true: each training image also adds its left–right mirror to the memory bank");
        return r;
    }

    static StepReport split(AnomalyState s, Args a, StepContext ctx) {
        double val = a.getDouble("validation", 0.5);
        double testNormals = a.getDouble("test_normals", 0.2);
        Random rnd = new Random(ctx.run().seedFor("split"));
        List<Item> train = new ArrayList<>(), pool = new ArrayList<>();
        boolean hasSplit = s.items.stream().anyMatch(i -> i.split().equals("train"));
        List<Item> loose = new ArrayList<>();
        for (Item it : s.items) {
            if (it.split().equals("train")) { if (it.normal()) train.add(it); }
            else if (it.split().equals("test")) pool.add(it);
            else if (!hasSplit && it.normal()) loose.add(it);
            else pool.add(it);
        }
        if (!loose.isEmpty()) { // no train/test in the layout: hold out test_normals of the normal images
            Collections.shuffle(loose, rnd);
            int hold = (int) Math.round(loose.size() * testNormals);
            pool.addAll(loose.subList(0, hold));
            train.addAll(loose.subList(hold, loose.size()));
        }
        Map<String, List<Item>> byClass = new TreeMap<>();
        for (Item it : pool) byClass.computeIfAbsent(it.label(), x -> new ArrayList<>()).add(it);
        List<Item> v = new ArrayList<>(), t = new ArrayList<>();
        Table table = Table.create("Split per class");
        StringColumn cls = StringColumn.create("class"), tr = StringColumn.create("train"), va = StringColumn.create("validation"), te = StringColumn.create("test");
        for (Map.Entry<String, List<Item>> e : byClass.entrySet()) {
            List<Item> l = new ArrayList<>(e.getValue());
            Collections.shuffle(l, rnd);
            int nv = (int) Math.round(l.size() * val);
            v.addAll(l.subList(0, nv));
            t.addAll(l.subList(nv, l.size()));
            cls.append(e.getKey());
            tr.append(e.getKey().equals(ImageDataset.NORMAL) ? String.valueOf(train.size()) : "0");
            va.append(String.valueOf(nv));
            te.append(String.valueOf(l.size() - nv));
        }
        if (!byClass.containsKey(ImageDataset.NORMAL)) { cls.append(ImageDataset.NORMAL); tr.append(String.valueOf(train.size())); va.append("0"); te.append("0"); }
        table.addColumns(cls, tr, va, te);
        Comparator<Item> byPath = Comparator.comparing(i -> i.path().toString());
        v.sort(byPath);
        t.sort(byPath);
        train.sort(byPath);
        s.train = train;
        s.validation = v;
        s.test = t;
        s.modelChanged();
        StepReport r = new StepReport("split", "Split: " + train.size() + " train normals, " + v.size() + " validation, " + t.size() + " test");
        r.body().put("train", train.size()).put("validation", v.size()).put("test", t.size()).put("validation_fraction", val);
        r.table(table);
        if (t.isEmpty()) r.note("validation=" + val + " leaves no test images: metrics.test will be empty");
        if (v.stream().noneMatch(Item::normal))
            r.note("no normal validation images: calibrate needs some (lower validation= or add test/good images)");
        ctx.invalidate(Step.EVALUATE);
        return r;
    }
}
