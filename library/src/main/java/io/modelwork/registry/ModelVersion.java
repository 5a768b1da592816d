package io.modelwork.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One registered version of a named model, as read from the registry.
 *
 * @param name      the model name ({@code [A-Za-z0-9._-]+})
 * @param version   the version number, 1 for the first registration of {@code name}
 * @param stage     the current lifecycle stage
 * @param aliases   the aliases that point at this version, sorted
 * @param contentId the stable content id: sha256 over the manifest (paths, hashes and sizes), so that two
 *                  registrations of identical bundles share it
 * @param createdAt when the version was registered
 * @param tags      free-form string tags given at registration, sorted by key
 * @param manifest  the bundle's files, sorted by relative path
 */
public record ModelVersion(String name, int version, Stage stage, List<String> aliases, String contentId,
                           Instant createdAt, Map<String, String> tags, List<Entry> manifest) {

    public ModelVersion {
        aliases = List.copyOf(aliases);
        tags = Map.copyOf(tags);
        manifest = List.copyOf(manifest);
    }

    /**
     * One file of a registered bundle.
     *
     * @param path   the path relative to the bundle directory, with {@code /} separators
     * @param sha256 the hex sha256 of the content, which is also its key in the artifact store
     * @param size   the size in bytes
     */
    public record Entry(String path, String sha256, long size) {}

    /** The model id {@code name:version}. */
    public String modelId() {
        return name + ":" + version;
    }

    /** The total size of the bundle's files in bytes. */
    public long totalSize() {
        return manifest.stream().mapToLong(Entry::size).sum();
    }

    /** A JSON description (keys: model_id, name, version, stage, aliases, content_id, created_at, tags, manifest). */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("model_id", modelId());
        o.put("name", name);
        o.put("version", version);
        o.put("stage", stage.text());
        ArrayNode a = o.putArray("aliases");
        aliases.forEach(a::add);
        o.put("content_id", contentId);
        o.put("created_at", createdAt.toString());
        ObjectNode t = o.putObject("tags");
        new java.util.TreeMap<>(tags).forEach(t::put);
        ArrayNode m = o.putArray("manifest");
        for (Entry e : manifest) {
            ObjectNode f = m.addObject();
            f.put("path", e.path());
            f.put("sha256", e.sha256());
            f.put("size", e.size());
        }
        return o;
    }
}
