package io.modelwork.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.AtomicFiles;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A model registry on an embedded SQLite database with content-addressed artifact storage.
 *
 * <p>Layout under the home directory:
 * <pre>
 *   registry.db                          versions, aliases, audit (plus -wal/-shm files while in use)
 *   artifacts/sha256/&lt;2 hex&gt;/&lt;62 hex&gt;    one immutable blob per distinct file content
 *   artifacts/tmp/                       blobs being written (renamed into place when complete)
 * </pre>
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Every change (the version row, its stage, aliases) and its audit row are written in one transaction, so a
 *       registration is either fully recorded or not at all. Blobs are copied to temporary files before that
 *       transaction and renamed into the store inside it; a failed registration removes the blobs it added (under the
 *       lock), a killed one can leave an unreferenced blob or a temporary file (which {@link #verify()} reports),
 *       never a half-written blob or a version that points at missing content.</li>
 *   <li>The audit head is also kept outside the database ({@code audit.head}, see {@link AuditAnchor}); a used home
 *       whose database was emptied or deleted is refused at open.</li>
 *   <li>Writes take the database write lock up front ({@code BEGIN IMMEDIATE}) and wait up to the lock timeout
 *       for it, so concurrent registrations from several processes serialise and get distinct, contiguous
 *       versions ({@code max(version) + 1} is read under the lock).</li>
 *   <li>The audit table is append-only (triggers refuse UPDATE and DELETE) and hash-chained:
 *       {@code hash = sha256(prev_hash + "\n" + canonical row)}. {@link #verify()} recomputes the chain, replays
 *       it against the version and alias tables and re-hashes every blob.</li>
 *   <li>A locked, corrupt, read-only or foreign database file gives a {@link ModelworkException} with what, where
 *       and how to fix; the registry never rewrites or deletes a database file it cannot read.</li>
 * </ul>
 *
 * <p>An instance holds one JDBC connection and is safe to share between threads (methods are synchronised); use
 * one instance per process and close it when done.
 */
public final class ModelRegistry implements AutoCloseable {

    /** The file name of the database under the home directory. */
    public static final String DB_FILE = "registry.db";
    /** How long a write waits for another process's lock by default. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);

    static final int SCHEMA_VERSION = 1;
    static final String GENESIS_HASH = "0".repeat(64);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final ObjectWriter COMPACT = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);
    private static final HexFormat HEX = HexFormat.of();

    private final Path home;
    private final Path dbFile;
    private final Path blobRoot;
    private final Path tmpDir;
    private final Duration lockTimeout;
    private final Connection conn;
    private final AuditAnchor anchor;
    /** The audit head written by the current write transaction (published to the anchor file before COMMIT). */
    private String pendingHead;

    private ModelRegistry(Path home, Duration lockTimeout, Connection conn) {
        this.home = home;
        this.dbFile = home.resolve(DB_FILE);
        this.blobRoot = home.resolve("artifacts").resolve("sha256");
        this.tmpDir = home.resolve("artifacts").resolve("tmp");
        this.lockTimeout = lockTimeout;
        this.conn = conn;
        this.anchor = new AuditAnchor(home);
    }

    // ------------------------------------------------------------------------------------------------ opening

    /**
     * The default registry home: the system property {@code modelwork.home}, else the environment variable
     * {@code MODELWORK_HOME}, else {@code ~/.modelwork}.
     */
    public static Path defaultHome() {
        String p = System.getProperty("modelwork.home");
        if (p == null || p.isBlank()) p = System.getenv("MODELWORK_HOME");
        if (p == null || p.isBlank()) return Path.of(System.getProperty("user.home"), ".modelwork");
        return Path.of(p);
    }

    /** Opens (creating if needed) the registry under {@code home} with the default lock timeout. */
    public static ModelRegistry open(Path home) {
        return open(home, DEFAULT_LOCK_TIMEOUT);
    }

    /**
     * Opens (creating if needed) the registry under {@code home}: {@code home/registry.db} and
     * {@code home/artifacts/}.
     *
     * @param lockTimeout how long a write waits for a lock held by another process before failing
     * @throws ModelworkException when the home cannot be created or the database is locked, corrupt, read-only,
     *                            not a Modelwork registry or from a newer version
     */
    public static ModelRegistry open(Path home, Duration lockTimeout) {
        Objects.requireNonNull(home, "home");
        Path h = home.toAbsolutePath().normalize();
        Path db = h.resolve(DB_FILE);
        try {
            Files.createDirectories(h.resolve("artifacts").resolve("sha256"));
            Files.createDirectories(h.resolve("artifacts").resolve("tmp"));
        } catch (IOException e) {
            throw new ModelworkException("cannot create the registry home directory (" + e + ")", h.toString(),
                    "choose a writable directory with --home, the system property modelwork.home or MODELWORK_HOME", e);
        }
        removeStaleTemporaryBlobs(h.resolve("artifacts").resolve("tmp"));
        AuditAnchor.checkNotEmptied(h, db);
        if (Files.exists(db) && !Files.isRegularFile(db)) {
            throw new ModelworkException("the registry database path exists but is not a file", db.toString(),
                    "move it aside or choose another registry home");
        }
        Connection c = null;
        try {
            c = DriverManager.getConnection("jdbc:sqlite:" + db);
            ModelRegistry r = new ModelRegistry(h, lockTimeout, c);
            r.initialise();
            return r;
        } catch (SQLException e) {
            closeQuietly(c);
            throw translate(e, db, lockTimeout, "open the registry");
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /**
     * Deletes temporary blobs older than a day: they belong to registrations that were killed before the rename
     * (a live registration renames its blob within seconds). Best effort.
     */
    private static void removeStaleTemporaryBlobs(Path tmpDir) {
        Instant cutoff = Instant.now().minus(Duration.ofDays(1));
        try (Stream<Path> s = Files.list(tmpDir)) {
            s.filter(p -> p.getFileName().toString().startsWith("blob-")).forEach(p -> {
                try {
                    if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // another process may have removed it
                }
            });
        } catch (IOException ignored) {
            // cleaning up is optional
        }
    }

    /**
     * Switches a new database to WAL (a no-op once any process did it: the mode is stored in the file). Changing the
     * journal mode needs an exclusive lock, and SQLite may answer SQLITE_BUSY at once, without its busy handler, when
     * several processes open a fresh registry together; so this retries until the lock timeout.
     */
    private void switchToWal(Statement s) throws SQLException {
        long deadline = System.nanoTime() + lockTimeout.toNanos();
        for (int attempt = 0; ; attempt++) {
            try {
                s.execute("PRAGMA journal_mode = WAL");
                return;
            } catch (SQLException e) {
                if (!isBusy(e) || System.nanoTime() > deadline) throw e;
                try {
                    Thread.sleep(Math.min(200, 10L << Math.min(attempt, 4)));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static boolean isBusy(SQLException e) {
        int code = e instanceof SQLiteException se ? se.getResultCode().code & 0xff : e.getErrorCode() & 0xff;
        String msg = String.valueOf(e.getMessage());
        return code == 5 || code == 6 || msg.contains("SQLITE_BUSY") || msg.contains("database is locked");
    }

    private void initialise() throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute("PRAGMA busy_timeout = " + Math.max(0, lockTimeout.toMillis()));
            s.execute("PRAGMA foreign_keys = ON");
            // Reading the header here is what reports a garbage file (SQLITE_NOTADB) before anything is written.
            int userVersion = intPragma(s, "PRAGMA user_version");
            if (userVersion > SCHEMA_VERSION) {
                throw new ModelworkException("the registry database was written by a newer Modelwork (schema "
                        + userVersion + ", this version reads " + SCHEMA_VERSION + ")", dbFile.toString(),
                        "upgrade Modelwork, or use another registry home");
            }
            checkIntegrity(s);
            switchToWal(s);
            s.execute("PRAGMA synchronous = FULL");
        }
        if (readUserVersion() < SCHEMA_VERSION) {
            write("create the registry schema", () -> {
                try (Statement s = conn.createStatement()) {
                    int v = intPragma(s, "PRAGMA user_version");   // re-read under the write lock
                    if (v >= SCHEMA_VERSION) return null;
                    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table'")) {
                        if (rs.next() && rs.getInt(1) > 0) {
                            throw new ModelworkException("the file is an SQLite database but not a Modelwork registry",
                                    dbFile.toString(), "choose another registry home (--home), or move the file aside");
                        }
                    }
                    for (String ddl : SCHEMA) s.execute(ddl);
                    s.execute("PRAGMA user_version = " + SCHEMA_VERSION);
                }
                return null;
            });
        }
        adoptAnchor();
    }

    /**
     * A registry written before the audit head was kept outside the database gets its {@code audit.head} once (marked
     * in meta as {@code audit_anchor}); afterwards a missing file is a problem that {@link #verify()} reports.
     */
    private void adoptAnchor() throws SQLException {
        try {
            if (anchor.read() != null) return;
        } catch (IOException e) {
            return;
        }
        try {
            if (metaValue("audit_anchor") != null) return;   // already adopted: a missing file is for verify to report
            write("anchor the audit head", () -> {
                if (metaValue("audit_anchor") != null) return null;
                try (PreparedStatement ps = conn.prepareStatement("INSERT INTO meta(key, value) VALUES ('audit_anchor', '1')")) {
                    ps.executeUpdate();
                }
                pendingHead = metaValue("audit_head");   // null for a new registry: the first audit row writes the file
                return null;
            });
        } catch (ModelworkException e) {
            // a read-only registry can still be read; verify reports the missing head file
        }
    }

    private int readUserVersion() throws SQLException {
        try (Statement s = conn.createStatement()) {
            return intPragma(s, "PRAGMA user_version");
        }
    }

    private void checkIntegrity(Statement s) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
            while (rs.next()) rows.add(rs.getString(1));
        }
        if (!(rows.size() == 1 && "ok".equalsIgnoreCase(rows.get(0)))) {
            throw corrupt(dbFile, String.join("; ", rows.subList(0, Math.min(3, rows.size()))), null);
        }
    }

    private static int intPragma(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE versions ("
                    + " name TEXT NOT NULL, version INTEGER NOT NULL, stage TEXT NOT NULL,"
                    + " stage_seq INTEGER NOT NULL, content_id TEXT NOT NULL, created_at TEXT NOT NULL,"
                    + " created_by TEXT NOT NULL, tags_json TEXT NOT NULL, manifest_json TEXT NOT NULL,"
                    + " PRIMARY KEY (name, version))",
            "CREATE INDEX versions_stage ON versions(name, stage, stage_seq)",
            "CREATE TABLE aliases ("
                    + " name TEXT NOT NULL, alias TEXT NOT NULL, version INTEGER NOT NULL,"
                    + " PRIMARY KEY (name, alias), FOREIGN KEY (name, version) REFERENCES versions(name, version))",
            "CREATE TABLE audit ("
                    + " seq INTEGER PRIMARY KEY, ts TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
                    + " name TEXT, version INTEGER, detail_json TEXT NOT NULL, prev_hash TEXT NOT NULL,"
                    + " hash TEXT NOT NULL)",
            "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
                    + " BEGIN SELECT RAISE(ABORT, 'the audit table is append-only'); END",
            "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
                    + " BEGIN SELECT RAISE(ABORT, 'the audit table is append-only'); END",
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");

    /** The registry home directory. */
    public Path home() {
        return home;
    }

    /** The database file. */
    public Path databaseFile() {
        return dbFile;
    }

    /** Closes the database connection. */
    @Override
    public synchronized void close() {
        closeQuietly(conn);
    }

    // ------------------------------------------------------------------------------------------------ register

    /**
     * Registers every regular file under {@code bundleDir} as the next version of {@code name}.
     *
     * <p>The files are copied into the content-addressed store first (existing blobs are reused); then the version
     * row and its audit row are written in one transaction that assigns {@code version = max + 1}. Registering
     * directly into production archives the current production version.
     *
     * @param stage the initial stage ({@code none} when null)
     * @param tags  free-form tags (may be null)
     * @param actor who registers (recorded in the audit)
     * @return the registered version
     */
    public ModelVersion register(String name, Path bundleDir, String stage, Map<String, String> tags, String actor) {
        checkName(name, "model name");
        Stage st = stage == null || stage.isBlank() ? Stage.NONE : Stage.parse(stage);
        String who = checkActor(actor);
        TreeMap<String, String> tagMap = new TreeMap<>();
        if (tags != null) {
            tags.forEach((k, v) -> {
                if (k == null || k.isBlank()) {
                    throw new ModelworkException("a tag has an empty key", "tags of " + name, "give every tag a key");
                }
                tagMap.put(k, v == null ? "" : v);
            });
        }
        List<Staged> staged = new ArrayList<>();
        List<Path> placed = new ArrayList<>();
        try {
            List<ModelVersion.Entry> manifest = storeBundle(name, bundleDir, staged);
            return registerStaged(name, st, who, tagMap, manifest, staged, placed);
        } finally {
            for (Staged sb : staged) {
                try { Files.deleteIfExists(sb.tmp()); } catch (IOException ignored) { }
            }
        }
    }

    /** A bundle file copied (and hashed) to a temporary blob, renamed into the store under the write lock. */
    private record Staged(Path tmp, String sha256, long size) {}

    private ModelVersion registerStaged(String name, Stage st, String who, TreeMap<String, String> tagMap,
                                        List<ModelVersion.Entry> manifest, List<Staged> staged, List<Path> placed) {
        String contentId = contentId(manifest);
        String manifestJson = manifestJson(manifest);
        String tagsJson = compact(Json.MAPPER.valueToTree(tagMap));
        // blobs go into the store under the write lock, and the ones this registration added are removed again if it
        // fails (still under the lock): a failed registration leaves no unreferenced blob for verify to report
        return transaction("BEGIN IMMEDIATE", "register " + name, () -> {
            for (Staged sb : staged) {
                Path target = blobPath(sb.sha256());
                if (Files.isRegularFile(target) && Files.size(target) == sb.size()) continue;  // content-addressed
                Files.createDirectories(target.getParent());
                AtomicFiles.move(sb.tmp(), target);
                placed.add(target);
            }
            int version;
            try (PreparedStatement ps = conn.prepareStatement("SELECT coalesce(max(version), 0) FROM versions WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    version = rs.getInt(1) + 1;
                }
            }
            ObjectNode d = Json.object();
            d.put("content_id", contentId);
            d.put("stage", st.text());
            d.put("files", manifest.size());
            d.set("tags", Json.MAPPER.valueToTree(tagMap));
            Instant now = Instant.now();
            long seq = appendAudit(now, who, "register", name, version, d);
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO versions(name, version, stage, stage_seq,"
                    + " content_id, created_at, created_by, tags_json, manifest_json) VALUES (?,?,?,?,?,?,?,?,?)")) {
                ps.setString(1, name);
                ps.setInt(2, version);
                ps.setString(3, st.text());
                ps.setLong(4, seq);
                ps.setString(5, contentId);
                ps.setString(6, now.toString());
                ps.setString(7, who);
                ps.setString(8, tagsJson);
                ps.setString(9, manifestJson);
                ps.executeUpdate();
            }
            if (st == Stage.PRODUCTION) archiveOtherProduction(name, version, who);
            return load(name, version).orElseThrow();
        }, () -> {
            for (Path p : placed) {
                try { Files.deleteIfExists(p); } catch (IOException ignored) { }
            }
        });
    }

    private List<ModelVersion.Entry> storeBundle(String name, Path bundleDir, List<Staged> staged) {
        if (bundleDir == null || !Files.isDirectory(bundleDir)) {
            throw new ModelworkException("the bundle to register is not a directory", String.valueOf(bundleDir),
                    "pass the directory that holds the exported model files");
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(bundleDir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new ModelworkException("cannot list the bundle directory (" + e + ")", bundleDir.toString(),
                    "check that the directory is readable", e);
        }
        if (files.isEmpty()) {
            throw new ModelworkException("the bundle directory has no files", bundleDir.toString(),
                    "export the model into the directory before registering " + name);
        }
        List<ModelVersion.Entry> out = new ArrayList<>();
        for (Path f : files) {
            String rel = bundleDir.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/");
            try {
                Staged st = stageBlob(f);
                staged.add(st);
                out.add(new ModelVersion.Entry(rel, st.sha256(), st.size()));
            } catch (IOException e) {
                throw new ModelworkException("cannot copy a bundle file into the artifact store (" + e + ")",
                        f.toString(), "check that the file is readable and that " + blobRoot + " is writable and has space", e);
            }
        }
        out.sort(java.util.Comparator.comparing(ModelVersion.Entry::path));
        return out;
    }

    /** Copies a file to a temporary blob (hashing as it goes), forced to disk; {@link #register} renames it into place. */
    private Staged stageBlob(Path src) throws IOException {
        Path tmp = Files.createTempFile(tmpDir, "blob-", ".tmp");
        boolean ok = false;
        try {
            MessageDigest md = sha256();
            long size = 0;
            try (InputStream in = Files.newInputStream(src);
                 FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    while (bb.hasRemaining()) out.write(bb);
                    size += n;
                }
                out.force(true);
            }
            ok = true;
            return new Staged(tmp, HEX.formatHex(md.digest()), size);
        } finally {
            if (!ok) Files.deleteIfExists(tmp);
        }
    }

    /** The path of the blob with the given sha256 in the artifact store. */
    public Path blobPath(String sha256) {
        return blobRoot.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2));
    }

    // ------------------------------------------------------------------------------------------------ reading

    /**
     * The version {@code version} of {@code name}.
     *
     * @throws ModelworkException when there is no such version
     */
    public ModelVersion get(String name, int version) {
        return read("get " + name + ":" + version, () -> load(name, version))
                .orElseThrow(() -> notFound(name + ":" + version));
    }

    /**
     * Resolves a reference: {@code name:3} (a version), {@code name@champion} (an alias), {@code name/production}
     * (the version that entered that stage last) or a bare {@code name} (its latest version).
     *
     * @throws ModelworkException when the reference is malformed or matches nothing
     */
    public ModelVersion get(String ref) {
        if (ref == null || ref.isBlank()) {
            throw new ModelworkException("empty model reference", "ref",
                    "use NAME:VERSION, NAME@ALIAS, NAME/STAGE or NAME");
        }
        String r = ref.trim();
        int at = r.indexOf('@'), colon = r.indexOf(':'), slash = r.indexOf('/');
        if (at > 0) {
            String name = r.substring(0, at), alias = r.substring(at + 1);
            checkName(name, "model name");
            checkName(alias, "alias");
            return read("resolve " + r, () -> {
                try (PreparedStatement ps = conn.prepareStatement("SELECT version FROM aliases WHERE name = ? AND alias = ?")) {
                    ps.setString(1, name);
                    ps.setString(2, alias);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? load(name, rs.getInt(1)) : Optional.<ModelVersion>empty();
                    }
                }
            }).orElseThrow(() -> notFound(r));
        }
        if (colon > 0) {
            String name = r.substring(0, colon);
            checkName(name, "model name");
            int v;
            try {
                v = Integer.parseInt(r.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new ModelworkException("the version in '" + r + "' is not a number", "ref",
                        "write NAME:VERSION with a whole number, e.g. " + name + ":1");
            }
            return get(name, v);
        }
        if (slash > 0) {
            String name = r.substring(0, slash);
            checkName(name, "model name");
            Stage st = Stage.parse(r.substring(slash + 1));
            return read("resolve " + r, () -> {
                Optional<Integer> v = latestInStage(name, st);
                return v.isPresent() ? load(name, v.get()) : Optional.<ModelVersion>empty();
            }).orElseThrow(() -> notFound(r));
        }
        checkName(r, "model reference");
        return read("resolve " + r, () -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT max(version) FROM versions WHERE name = ?")) {
                ps.setString(1, r);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    int v = rs.getInt(1);
                    return rs.wasNull() ? Optional.<ModelVersion>empty() : load(r, v);
                }
            }
        }).orElseThrow(() -> notFound(r));
    }

    /** All versions of {@code name}, or of every model when {@code nameOrNull} is null, by name then version. */
    public List<ModelVersion> list(String nameOrNull) {
        if (nameOrNull != null) checkName(nameOrNull, "model name");
        return read("list", () -> {
            List<String[]> keys = new ArrayList<>();
            String sql = "SELECT name, version FROM versions" + (nameOrNull == null ? "" : " WHERE name = ?")
                    + " ORDER BY name, version";
            try (PreparedStatement ps = conn.prepareStatement(sql)) {
                if (nameOrNull != null) ps.setString(1, nameOrNull);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) keys.add(new String[]{rs.getString(1), rs.getString(2)});
                }
            }
            List<ModelVersion> out = new ArrayList<>();
            for (String[] k : keys) load(k[0], Integer.parseInt(k[1])).ifPresent(out::add);
            return out;
        });
    }

    private Optional<ModelVersion> load(String name, int version) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT stage, content_id, created_at, tags_json, manifest_json"
                + " FROM versions WHERE name = ? AND version = ?")) {
            ps.setString(1, name);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                List<String> aliases = new ArrayList<>();
                try (PreparedStatement pa = conn.prepareStatement(
                        "SELECT alias FROM aliases WHERE name = ? AND version = ? ORDER BY alias")) {
                    pa.setString(1, name);
                    pa.setInt(2, version);
                    try (ResultSet ra = pa.executeQuery()) {
                        while (ra.next()) aliases.add(ra.getString(1));
                    }
                }
                return Optional.of(new ModelVersion(name, version, Stage.parse(rs.getString(1)), aliases,
                        rs.getString(2), Instant.parse(rs.getString(3)), parseTags(rs.getString(4)),
                        parseManifest(rs.getString(5))));
            }
        }
    }

    private Optional<Integer> latestInStage(String name, Stage stage) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT version FROM versions WHERE name = ? AND stage = ?"
                + " ORDER BY stage_seq DESC, version DESC LIMIT 1")) {
            ps.setString(1, name);
            ps.setString(2, stage.text());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ stages

    /**
     * Moves {@code name:version} into {@code stage}. Moving a version into production archives the version(s)
     * previously in production (each recorded in the audit). Promoting into the current stage changes nothing.
     */
    public ModelVersion promote(String name, int version, String stage, String actor) {
        checkName(name, "model name");
        Stage target = Stage.parse(stage);
        String who = checkActor(actor);
        return write("promote " + name + ":" + version, () -> {
            ModelVersion cur = load(name, version).orElseThrow(() -> notFound(name + ":" + version));
            if (cur.stage() == target) return cur;
            ObjectNode d = Json.object();
            d.put("from", cur.stage().text());
            d.put("stage", target.text());
            long seq = appendAudit(Instant.now(), who, "promote", name, version, d);
            setStage(name, version, target, seq);
            if (target == Stage.PRODUCTION) archiveOtherProduction(name, version, who);
            return load(name, version).orElseThrow();
        });
    }

    /**
     * Returns {@code stage} of {@code name} to the version that held it before the current one (following the
     * stage history in the audit, so repeated rollbacks walk further back); the current version goes to archived.
     *
     * @return the version now in {@code stage}
     * @throws ModelworkException when the stage is empty or no earlier version held it
     */
    public ModelVersion rollback(String name, String stage, String actor) {
        checkName(name, "model name");
        Stage st = Stage.parse(stage);
        String who = checkActor(actor);
        if (st == Stage.NONE || st == Stage.ARCHIVED) {
            throw new ModelworkException("cannot roll back stage '" + st + "'", name + "/" + st,
                    "roll back staging, canary or production");
        }
        return write("roll back " + name + "/" + st, () -> {
            int current = latestInStage(name, st).orElseThrow(() -> new ModelworkException(
                    "no version of " + name + " is in " + st + ", so there is nothing to roll back", name + "/" + st,
                    "promote a version with `modelwork registry promote " + name + " VERSION " + st + "`"));
            List<Integer> stack = stageStack(name, st);
            while (!stack.isEmpty() && stack.get(stack.size() - 1) == current) stack.remove(stack.size() - 1);
            if (stack.isEmpty()) {
                throw new ModelworkException("nothing to roll back to: no version of " + name + " held " + st
                        + " before version " + current, name + "/" + st,
                        "promote the version you want with `modelwork registry promote " + name + " VERSION " + st + "`");
            }
            int previous = stack.get(stack.size() - 1);
            ModelVersion prev = load(name, previous).orElseThrow(() -> notFound(name + ":" + previous));

            ObjectNode a = Json.object();
            a.put("from", st.text());
            a.put("stage", Stage.ARCHIVED.text());
            a.put("reason", "rolled back from " + st + " to version " + previous);
            long s1 = appendAudit(Instant.now(), who, "archive", name, current, a);
            setStage(name, current, Stage.ARCHIVED, s1);

            ObjectNode d = Json.object();
            d.put("from", prev.stage().text());
            d.put("stage", st.text());
            d.put("replaced", current);
            long s2 = appendAudit(Instant.now(), who, "rollback", name, previous, d);
            setStage(name, previous, st, s2);
            if (st == Stage.PRODUCTION) archiveOtherProduction(name, previous, who);
            return load(name, previous).orElseThrow();
        });
    }

    /**
     * The versions that held {@code stage}, oldest first, replayed from the audit: registering or promoting into
     * the stage pushes a version; promoting it explicitly out removes it; a rollback pops the replaced version.
     * Being archived because another version replaced it keeps a version in the history.
     */
    private List<Integer> stageStack(String name, Stage stage) throws SQLException {
        List<Integer> stack = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT action, version, detail_json FROM audit WHERE name = ? ORDER BY seq")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String action = rs.getString(1);
                    int v = rs.getInt(2);
                    JsonNode d = parseJson(rs.getString(3));
                    String to = d.path("stage").asText(""), from = d.path("from").asText("");
                    boolean into = stage.text().equals(to);
                    switch (action) {
                        case "register" -> { if (into) push(stack, v); }
                        case "promote" -> {
                            if (into) push(stack, v);
                            else if (stage.text().equals(from)) {
                                int i = stack.lastIndexOf(v);   // moved out explicitly: no longer a rollback target
                                if (i >= 0) stack.remove(i);
                            }
                        }
                        case "rollback" -> {
                            if (into) {
                                int replaced = d.path("replaced").asInt(-1);
                                while (!stack.isEmpty() && stack.get(stack.size() - 1) == replaced) {
                                    stack.remove(stack.size() - 1);
                                }
                                push(stack, v);
                            }
                        }
                        default -> { }
                    }
                }
            }
        }
        return stack;
    }

    private static void push(List<Integer> stack, int v) {
        if (stack.isEmpty() || stack.get(stack.size() - 1) != v) stack.add(v);
    }

    private void archiveOtherProduction(String name, int keep, String who) throws SQLException {
        List<Integer> others = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT version FROM versions WHERE name = ? AND stage = ? AND version <> ? ORDER BY version")) {
            ps.setString(1, name);
            ps.setString(2, Stage.PRODUCTION.text());
            ps.setInt(3, keep);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) others.add(rs.getInt(1));
            }
        }
        for (int v : others) {
            ObjectNode d = Json.object();
            d.put("from", Stage.PRODUCTION.text());
            d.put("stage", Stage.ARCHIVED.text());
            d.put("reason", "replaced in production by version " + keep);
            long seq = appendAudit(Instant.now(), who, "archive", name, v, d);
            setStage(name, v, Stage.ARCHIVED, seq);
        }
    }

    private void setStage(String name, int version, Stage stage, long seq) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "UPDATE versions SET stage = ?, stage_seq = ? WHERE name = ? AND version = ?")) {
            ps.setString(1, stage.text());
            ps.setLong(2, seq);
            ps.setString(3, name);
            ps.setInt(4, version);
            ps.executeUpdate();
        }
    }

    // ------------------------------------------------------------------------------------------------ aliases

    /** Points {@code alias} of {@code name} at {@code version}, moving it if it pointed elsewhere. */
    public ModelVersion setAlias(String name, String alias, int version, String actor) {
        checkName(name, "model name");
        checkName(alias, "alias");
        String who = checkActor(actor);
        return write("set alias " + name + "@" + alias, () -> {
            load(name, version).orElseThrow(() -> notFound(name + ":" + version));
            Integer previous = aliasTarget(name, alias);
            if (previous != null && previous == version) return load(name, version).orElseThrow();
            try (PreparedStatement ps = conn.prepareStatement(
                    "INSERT INTO aliases(name, alias, version) VALUES (?,?,?)"
                            + " ON CONFLICT(name, alias) DO UPDATE SET version = excluded.version")) {
                ps.setString(1, name);
                ps.setString(2, alias);
                ps.setInt(3, version);
                ps.executeUpdate();
            }
            ObjectNode d = Json.object();
            d.put("alias", alias);
            if (previous == null) d.putNull("previous"); else d.put("previous", previous);
            appendAudit(Instant.now(), who, "alias-set", name, version, d);
            return load(name, version).orElseThrow();
        });
    }

    /**
     * Removes {@code alias} of {@code name}.
     *
     * @throws ModelworkException when there is no such alias
     */
    public void removeAlias(String name, String alias, String actor) {
        checkName(name, "model name");
        checkName(alias, "alias");
        String who = checkActor(actor);
        write("remove alias " + name + "@" + alias, () -> {
            Integer previous = aliasTarget(name, alias);
            if (previous == null) throw notFound(name + "@" + alias);
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM aliases WHERE name = ? AND alias = ?")) {
                ps.setString(1, name);
                ps.setString(2, alias);
                ps.executeUpdate();
            }
            ObjectNode d = Json.object();
            d.put("alias", alias);
            appendAudit(Instant.now(), who, "alias-remove", name, previous, d);
            return null;
        });
    }

    private Integer aliasTarget(String name, String alias) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT version FROM aliases WHERE name = ? AND alias = ?")) {
            ps.setString(1, name);
            ps.setString(2, alias);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ materialize

    /**
     * Re-assembles the bundle of {@code v} under {@code targetDir} from the artifact store, verifying the sha256 of
     * every file. The directory is written under a temporary name and published with one rename, so it appears
     * complete or not at all.
     *
     * @param targetDir must not exist yet
     * @return {@code targetDir}
     * @throws ModelworkException when the target exists or a blob is missing or damaged
     */
    public Path materialize(ModelVersion v, Path targetDir) {
        Path target = targetDir.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new ModelworkException("the target directory already exists", target.toString(),
                    "choose a directory that does not exist yet, or delete it first");
        }
        Path staging = target.resolveSibling("." + target.getFileName() + ".tmp-" + System.nanoTime());
        boolean done = false;
        try {
            Files.createDirectories(staging);
            for (ModelVersion.Entry e : v.manifest()) {
                Path out = staging.resolve(e.path()).normalize();
                if (!out.startsWith(staging)) {
                    throw new ModelworkException("a manifest path leaves the bundle directory: " + e.path(),
                            v.modelId(), "run `modelwork registry verify`; the registry database may be tampered with");
                }
                Files.createDirectories(out.getParent());
                Path blob = blobPath(e.sha256());
                if (!Files.isRegularFile(blob)) {
                    throw new ModelworkException("the artifact blob of " + e.path() + " in " + v.modelId() + " is missing",
                            blob.toString(), "re-register the model from its original bundle; run `modelwork registry verify` for a full check");
                }
                MessageDigest md = sha256();
                try (InputStream in = Files.newInputStream(blob);
                     FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    byte[] buf = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        md.update(buf, 0, n);
                        ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                        while (bb.hasRemaining()) ch.write(bb);
                    }
                    ch.force(true);
                }
                String got = HEX.formatHex(md.digest());
                if (!got.equals(e.sha256())) {
                    throw new ModelworkException("the artifact blob of " + e.path() + " in " + v.modelId()
                            + " is damaged (sha256 " + got + ", expected " + e.sha256() + ")", blob.toString(),
                            "re-register the model from its original bundle; run `modelwork registry verify` for a full check");
                }
            }
            AtomicFiles.publishDirectory(staging, target);
            done = true;
            return target;
        } catch (IOException e) {
            throw new ModelworkException("cannot write the materialised bundle (" + e + ")", target.toString(),
                    "check that the parent directory is writable and has space", e);
        } finally {
            if (!done) AtomicFiles.deleteTree(staging);
        }
    }

    // ------------------------------------------------------------------------------------------------ audit

    /** One audit row as stored. */
    record AuditRow(long seq, String ts, String actor, String action, String name, Integer version,
                    String detailJson, String prevHash, String hash) {}

    private long appendAudit(Instant ts, String actor, String action, String name, Integer version, JsonNode detail)
            throws SQLException {
        long seq = 1;
        String prev = GENESIS_HASH;
        try (Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")) {
            if (rs.next()) {
                seq = rs.getLong(1) + 1;
                prev = rs.getString(2);
            }
        }
        String detailJson = compact(detail);
        String hash = chainHash(prev, seq, ts.toString(), actor, action, name, version, detailJson);
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO audit(seq, ts, actor, action, name, version,"
                + " detail_json, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?)")) {
            ps.setLong(1, seq);
            ps.setString(2, ts.toString());
            ps.setString(3, actor);
            ps.setString(4, action);
            ps.setString(5, name);
            if (version == null) ps.setNull(6, java.sql.Types.INTEGER); else ps.setInt(6, version);
            ps.setString(7, detailJson);
            ps.setString(8, prev);
            ps.setString(9, hash);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO meta(key, value) VALUES ('audit_head', ?)"
                + " ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
            ps.setString(1, seq + ":" + hash);
            ps.executeUpdate();
        }
        pendingHead = seq + ":" + hash;
        return seq;
    }

    /**
     * The chain hash of one audit row: sha256 of {@code prev_hash + "\n" + canonical}, where canonical is the
     * compact JSON array {@code [seq, ts, actor, action, name, version, detail_json]}.
     */
    static String chainHash(String prevHash, long seq, String ts, String actor, String action, String name,
                            Integer version, String detailJson) {
        String canonical = compact(Json.MAPPER.valueToTree(
                Arrays.asList(seq, ts, actor, action, name, version, detailJson)));
        return sha256Hex((prevHash + "\n" + canonical).getBytes(StandardCharsets.UTF_8));
    }

    /** The audit rows in order (oldest first). */
    public List<ObjectNode> auditLog() {
        return read("read the audit", () -> {
            List<ObjectNode> out = new ArrayList<>();
            for (AuditRow r : auditRows()) {
                ObjectNode o = Json.object();
                o.put("seq", r.seq());
                o.put("ts", r.ts());
                o.put("actor", r.actor());
                o.put("action", r.action());
                o.put("name", r.name());
                if (r.version() == null) o.putNull("version"); else o.put("version", r.version());
                o.set("detail", parseJson(r.detailJson()));
                o.put("hash", r.hash());
                out.add(o);
            }
            return out;
        });
    }

    private List<AuditRow> auditRows() throws SQLException {
        List<AuditRow> rows = new ArrayList<>();
        try (Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT seq, ts, actor, action, name, version, detail_json, prev_hash, hash"
                     + " FROM audit ORDER BY seq")) {
            while (rs.next()) {
                int v = rs.getInt(6);
                Integer version = rs.wasNull() ? null : v;
                rows.add(new AuditRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), version, rs.getString(7), rs.getString(8), rs.getString(9)));
            }
        }
        return rows;
    }

    // ------------------------------------------------------------------------------------------------ verify

    /**
     * Checks the whole registry: recomputes the audit hash chain (a changed, inserted, reordered or deleted row
     * breaks it), compares the chain head with the recorded one (catches a truncated tail), replays the audit
     * against the version and alias tables, recomputes every version's content id from its manifest, checks that
     * every manifest blob exists, and re-hashes every stored blob.
     */
    public VerifyReport verify() {
        return read("verify the registry", () -> {
            List<VerifyReport.Problem> problems = new ArrayList<>();
            List<AuditRow> rows = auditRows();

            // 1. the hash chain
            String prev = GENESIS_HASH;
            long expectSeq = 1;
            for (AuditRow r : rows) {
                if (r.seq() != expectSeq) {
                    problems.add(new VerifyReport.Problem(r.seq(), "audit rows are missing before this one (expected seq "
                            + expectSeq + ")"));
                } else if (!prev.equals(r.prevHash())) {
                    problems.add(new VerifyReport.Problem(r.seq(), "prev_hash does not match the hash of the row before"));
                } else if (!chainHash(r.prevHash(), r.seq(), r.ts(), r.actor(), r.action(), r.name(), r.version(),
                        r.detailJson()).equals(r.hash())) {
                    problems.add(new VerifyReport.Problem(r.seq(), "the row was modified: its content does not match its hash"
                            + " (action " + r.action() + " " + r.name() + ":" + r.version() + " by " + r.actor() + ")"));
                }
                prev = r.hash();
                expectSeq = r.seq() + 1;
            }
            String head = rows.isEmpty() ? null : rows.get(rows.size() - 1).seq() + ":" + prev;
            String recorded = metaValue("audit_head");
            if (!Objects.equals(head, recorded)) {
                problems.add(new VerifyReport.Problem(0, "the audit chain ends at " + head + " but the registry recorded "
                        + recorded + " (rows were removed from the end, or added outside Modelwork)"));
            }
            String anchored = anchor.read();
            if (anchored == null && head != null) {
                problems.add(new VerifyReport.Problem(0, "the audit head file " + anchor.file() + " is missing (the "
                        + "chain's newest row cannot be confirmed)"));
            } else if (anchored != null && !anchored.equals(head)) {
                problems.add(new VerifyReport.Problem(0, "the audit chain ends at " + head + " but " + anchor.file()
                        + " records " + anchored + " (audit rows were removed from the end of the database, or the "
                        + "database was replaced)"));
            }
            for (String trigger : List.of("audit_no_update", "audit_no_delete")) {
                if (!triggerExists(trigger)) {
                    problems.add(new VerifyReport.Problem(0, "the append-only trigger " + trigger + " was dropped"));
                }
            }

            // 2. replay the audit against the tables
            Map<String, String> expectStage = new HashMap<>();
            Map<String, String> expectContent = new HashMap<>();
            Map<String, Integer> expectAlias = new TreeMap<>();
            for (AuditRow r : rows) {
                JsonNode d = parseJsonSafe(r.detailJson());
                String key = r.name() + ":" + r.version();
                if (d.has("stage")) expectStage.put(key, d.get("stage").asText());
                if ("register".equals(r.action())) expectContent.put(key, d.path("content_id").asText());
                if ("alias-set".equals(r.action())) expectAlias.put(r.name() + "@" + d.path("alias").asText(), r.version());
                if ("alias-remove".equals(r.action())) expectAlias.remove(r.name() + "@" + d.path("alias").asText());
            }
            long versions = 0;
            Map<String, List<String>> blobUsers = new TreeMap<>();
            try (Statement s = conn.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name, version, stage, content_id, manifest_json FROM versions"
                         + " ORDER BY name, version")) {
                while (rs.next()) {
                    versions++;
                    String key = rs.getString(1) + ":" + rs.getInt(2);
                    String stage = rs.getString(3), content = rs.getString(4);
                    if (!expectContent.containsKey(key)) {
                        problems.add(new VerifyReport.Problem(0, "version " + key + " has no register row in the audit"));
                    } else if (!expectContent.get(key).equals(content)) {
                        problems.add(new VerifyReport.Problem(0, "version " + key + " has content id " + content
                                + " but was registered as " + expectContent.get(key)));
                    }
                    if (!stage.equals(expectStage.get(key))) {
                        problems.add(new VerifyReport.Problem(0, "version " + key + " is in stage " + stage
                                + " but the audit says " + expectStage.get(key)));
                    }
                    List<ModelVersion.Entry> manifest;
                    try {
                        manifest = parseManifest(rs.getString(5));
                    } catch (RuntimeException e) {
                        problems.add(new VerifyReport.Problem(0, "version " + key + " has an unreadable manifest"));
                        continue;
                    }
                    if (!contentId(manifest).equals(content)) {
                        problems.add(new VerifyReport.Problem(0, "version " + key
                                + " manifest does not match its content id (the manifest was modified)"));
                    }
                    for (ModelVersion.Entry e : manifest) {
                        blobUsers.computeIfAbsent(e.sha256(), k -> new ArrayList<>()).add(key + " " + e.path());
                    }
                }
            }
            for (String key : expectContent.keySet()) {
                if (!versionExists(key)) {
                    problems.add(new VerifyReport.Problem(0, "version " + key + " was registered but its row is missing"));
                }
            }
            Map<String, Integer> actualAlias = new TreeMap<>();
            try (Statement s = conn.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name, alias, version FROM aliases")) {
                while (rs.next()) actualAlias.put(rs.getString(1) + "@" + rs.getString(2), rs.getInt(3));
            }
            if (!actualAlias.equals(expectAlias)) {
                problems.add(new VerifyReport.Problem(0, "aliases " + actualAlias + " do not match the audit " + expectAlias));
            }

            // 3. the blobs
            long blobs = 0;
            for (Map.Entry<String, List<String>> e : blobUsers.entrySet()) {
                if (!Files.isRegularFile(blobPath(e.getKey()))) {
                    problems.add(new VerifyReport.Problem(0, "artifact blob " + e.getKey() + " is missing (used by "
                            + String.join(", ", e.getValue()) + ")"));
                }
            }
            List<Path> stored;
            try (Stream<Path> s = Files.walk(blobRoot)) {
                stored = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path p : stored) {
                String expected = p.getParent().getFileName().toString() + p.getFileName();
                String actual = sha256Hex(p);
                blobs++;
                if (!expected.equals(actual)) {
                    List<String> users = blobUsers.getOrDefault(expected, List.of());
                    problems.add(new VerifyReport.Problem(0, "artifact blob " + p + " is damaged (sha256 " + actual + ")"
                            + (users.isEmpty() ? "" : "; used by " + String.join(", ", users))));
                }
            }
            for (Path p : stored) {
                String id = p.getParent().getFileName().toString() + p.getFileName();
                if (!blobUsers.containsKey(id))
                    problems.add(new VerifyReport.Problem(0, "artifact blob " + p + " is not referenced by any version "
                            + "(left by an interrupted registration, or its version rows were lost)"));
            }
            try (Stream<Path> s = Files.list(tmpDir)) {
                for (Path p : s.sorted().toList())
                    problems.add(new VerifyReport.Problem(0, "leftover temporary file " + p + " (an interrupted "
                            + "registration; delete it when no registration is running)"));
            }
            return new VerifyReport(rows.size(), versions, blobs, problems);
        });
    }

    private boolean triggerExists(String name) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private boolean versionExists(String key) throws SQLException {
        int colon = key.lastIndexOf(':');
        try (PreparedStatement ps = conn.prepareStatement("SELECT 1 FROM versions WHERE name = ? AND version = ?")) {
            ps.setString(1, key.substring(0, colon));
            ps.setString(2, key.substring(colon + 1));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private String metaValue(String key) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ transactions

    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException, IOException;
    }

    /** Runs {@code work} in a write transaction that takes the write lock up front (waiting up to the timeout). */
    private synchronized <T> T write(String operation, Work<T> work) {
        return transaction("BEGIN IMMEDIATE", operation, work);
    }

    /** Runs {@code work} in a read transaction, so that it sees one consistent snapshot. */
    private synchronized <T> T read(String operation, Work<T> work) {
        return transaction("BEGIN DEFERRED", operation, work);
    }

    private <T> T transaction(String begin, String operation, Work<T> work) {
        return transaction(begin, operation, work, null);
    }

    /** {@code onRollback} runs when the work fails, before the rollback releases the lock. */
    private synchronized <T> T transaction(String begin, String operation, Work<T> work, Runnable onRollback) {
        try (Statement s = conn.createStatement()) {
            s.execute(begin);
        } catch (SQLException e) {
            throw translate(e, dbFile, lockTimeout, operation);
        }
        boolean committed = false;
        pendingHead = null;
        String previousAnchor = null;
        boolean anchorWritten = false;
        try {
            T result = work.run();
            if (pendingHead != null) {           // under the write lock: the anchor always names the newest row
                previousAnchor = anchor.read();
                anchor.write(pendingHead);
                anchorWritten = true;
            }
            try (Statement s = conn.createStatement()) {
                s.execute("COMMIT");
            }
            committed = true;
            return result;
        } catch (SQLException e) {
            throw translate(e, dbFile, lockTimeout, operation);
        } catch (IOException e) {
            throw new ModelworkException("cannot " + operation + " (" + e + ")", home.toString(),
                    "check that the registry home is readable and writable", e);
        } finally {
            pendingHead = null;
            if (!committed && anchorWritten) anchor.restore(previousAnchor);
            if (!committed && onRollback != null) onRollback.run();
            if (!committed) {
                try (Statement s = conn.createStatement()) {
                    s.execute("ROLLBACK");
                } catch (SQLException ignored) {
                    // no transaction active any more (SQLite rolls back by itself after some errors)
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ errors

    static ModelworkException translate(SQLException e, Path db, Duration timeout, String operation) {
        int code = e instanceof SQLiteException se ? se.getResultCode().code & 0xff : e.getErrorCode() & 0xff;
        String msg = String.valueOf(e.getMessage());
        if (isBusy(e)) {
            return new ModelworkException("the registry database is locked by another process (waited "
                    + timeout.toMillis() + " ms to " + operation + "); nothing was changed", db.toString(),
                    "wait for the other Modelwork process (a register, promote or verify in progress) to finish and "
                            + "retry; if none is running, find the holder with `fuser " + db + "` or `lsof " + db
                            + "` and stop it", e);
        }
        if (code == 11 || code == 26 || msg.contains("SQLITE_CORRUPT") || msg.contains("SQLITE_NOTADB")) {
            return corrupt(db, msg, e);
        }
        if (code == 8) {
            return new ModelworkException("the registry database is read-only (cannot " + operation + ")", db.toString(),
                    "make the file and its directory writable, or open a registry home you own", e);
        }
        if (code == 13) {
            return new ModelworkException("the disk is full (cannot " + operation + "); nothing was changed",
                    db.toString(), "free disk space and retry", e);
        }
        if (code == 14) {
            return new ModelworkException("cannot open the registry database", db.toString(),
                    "check that the directory exists and is writable", e);
        }
        return new ModelworkException("registry database error while trying to " + operation + ": " + msg,
                db.toString(), "retry; if it persists run `modelwork registry verify` and check the file", e);
    }

    private static ModelworkException corrupt(Path db, String detail, Throwable cause) {
        return new ModelworkException("the registry database is corrupt or not an SQLite database (" + detail
                + "); it was left untouched", db.toString(),
                "move it aside together with any " + db.getFileName() + "-wal and -shm files (e.g. `mv " + db + " "
                        + db + ".corrupt`) and restore it from a backup (the artifacts under "
                        + db.resolveSibling("artifacts") + " are content-addressed and are kept); to start over, move the "
                        + "whole registry home " + db.getParent() + " aside",
                cause);
    }

    private ModelworkException notFound(String ref) {
        return new ModelworkException("no model version matches '" + ref + "'", dbFile.toString(),
                "run `modelwork registry list` to see the registered names, versions, stages and aliases");
    }

    /** The longest model name or alias the registry accepts. */
    public static final int MAX_NAME_LENGTH = 100;

    private static void checkName(String name, String what) {
        checkName(name, what, what);
    }

    private static void checkName(String name, String what, String where) {
        if (name == null || name.isEmpty() || !NAME.matcher(name).matches() || name.chars().allMatch(c -> c == '.')) {
            throw new ModelworkException("invalid " + what + " '" + name + "'", where,
                    "use only letters, digits, '.', '_' and '-' (pattern [A-Za-z0-9._-]+, not only dots), at most "
                            + MAX_NAME_LENGTH + " characters");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new ModelworkException("invalid " + what + ": " + name.length() + " characters, at most "
                    + MAX_NAME_LENGTH + " are allowed ('" + name.substring(0, 20) + "...')", where,
                    "choose a shorter name (letters, digits, '.', '_', '-')");
        }
    }

    /** Checks a model name as {@link #register} will ({@code where}: e.g. the recipe line). */
    public static void checkModelName(String name, String where) {
        checkName(name, "model name", where);
    }

    private static String checkActor(String actor) {
        if (actor == null || actor.isBlank()) {
            String user = System.getProperty("user.name");
            return user == null || user.isBlank() ? "unknown" : user;
        }
        return actor.trim();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** sha256 over the canonical manifest text: one {@code path\tsha256\tsize\n} line per file, sorted by path. */
    static String contentId(List<ModelVersion.Entry> manifest) {
        StringBuilder sb = new StringBuilder();
        manifest.stream().sorted(java.util.Comparator.comparing(ModelVersion.Entry::path)).forEach(e ->
                sb.append(e.path()).append('\t').append(e.sha256()).append('\t').append(e.size()).append('\n'));
        return sha256Hex(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String manifestJson(List<ModelVersion.Entry> manifest) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (ModelVersion.Entry e : manifest) {
            ObjectNode o = a.addObject();
            o.put("path", e.path());
            o.put("sha256", e.sha256());
            o.put("size", e.size());
        }
        return compact(a);
    }

    private static List<ModelVersion.Entry> parseManifest(String json) {
        List<ModelVersion.Entry> out = new ArrayList<>();
        for (JsonNode n : parseJson(json)) {
            out.add(new ModelVersion.Entry(n.get("path").asText(), n.get("sha256").asText(), n.get("size").asLong()));
        }
        return out;
    }

    private static Map<String, String> parseTags(String json) {
        try {
            return new LinkedHashMap<>(Json.MAPPER.readValue(json, new TypeReference<TreeMap<String, String>>() {}));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable tags " + json, e);
        }
    }

    private static JsonNode parseJson(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON in the registry: " + json, e);
        }
    }

    private static JsonNode parseJsonSafe(String json) {
        try {
            return Json.MAPPER.readTree(json == null ? "{}" : json);
        } catch (JsonProcessingException e) {
            return Json.object();
        }
    }

    private static String compact(JsonNode node) {
        try {
            return COMPACT.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256Hex(byte[] bytes) {
        return HEX.formatHex(sha256().digest(bytes));
    }

    static String sha256Hex(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
        } catch (NoSuchFileException e) {
            return "missing";
        }
        return HEX.formatHex(md.digest());
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing is best effort
        }
    }
}
