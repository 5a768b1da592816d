package io.modelwork.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The common implementation of {@link Report}: a JSON body plus tables, charts, a gallery and notes. Each step's
 * typed report extends it and adds typed accessors over the JSON body.
 */
public class StepReport implements Report {
    /** Charts and gallery items to JSON trees (report does not import core: core imports report). */
    private static final com.fasterxml.jackson.databind.ObjectMapper TREES = new com.fasterxml.jackson.databind.ObjectMapper()
            .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(com.fasterxml.jackson.databind.SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private final String step;
    private final String title;
    protected final ObjectNode body;
    private final List<Table> tables = new ArrayList<>();
    private final List<Chart> charts = new ArrayList<>();
    private final List<GalleryItem> gallery = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public StepReport(String step, String title) {
        this(step, title, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
    }

    public StepReport(String step, String title, ObjectNode body) {
        this.step = step;
        this.title = title;
        this.body = body;
    }

    @Override public String step() { return step; }

    @Override public String title() { return title; }

    /** The JSON body, including the notes and the charts' data (the tables are views over the body). */
    @Override public ObjectNode toJson() {
        ObjectNode out = body.deepCopy();
        out.put("step", step);
        if (!notes.isEmpty()) {
            ArrayNode n = out.putArray("notes");
            notes.forEach(n::add);
        }
        if (!charts.isEmpty()) out.set("charts", TREES.valueToTree(charts));
        if (!gallery.isEmpty()) out.set("error_cases", TREES.valueToTree(gallery));
        return out;
    }

    public ObjectNode body() { return body; }

    public JsonNode get(String field) { return body.get(field); }

    public StepReport table(Table t) { tables.add(t); return this; }

    public StepReport chart(Chart c) { charts.add(c); return this; }

    public StepReport gallery(List<GalleryItem> items) { gallery.addAll(items); return this; }

    public StepReport note(String n) { notes.add(n); return this; }

    @Override public List<Table> tables() { return Collections.unmodifiableList(tables); }

    @Override public List<Chart> charts() { return Collections.unmodifiableList(charts); }

    @Override public List<GalleryItem> gallery() { return Collections.unmodifiableList(gallery); }

    @Override public List<String> notes() { return Collections.unmodifiableList(notes); }

    @Override public String toString() { return toText(); }
}
