package io.modelwork.kernel;

import io.modelwork.core.ModelworkException;
import io.modelwork.magics.CellMagic;
import io.modelwork.magics.LineMagic;
import io.modelwork.magics.MagicSet;
import io.modelwork.magics.Magics;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The IJava magics: {@code %classpath}, {@code %jars}, {@code %maven}, {@code %load}, {@code %time}/{@code %%time}, {@code %%html}, {@code %%markdown}, {@code %help}. */
final class KernelMagics implements MagicSet {
    private final ModelworkKernel kernel;
    private final MavenMagic maven;

    KernelMagics(ModelworkKernel kernel) {
        this.kernel = kernel;
        this.maven = new MavenMagic(kernel);
    }

    @Override
    public Map<String, LineMagic> lineMagics() {
        Map<String, LineMagic> m = new LinkedHashMap<>();
        m.put("classpath", this::classpath);
        m.put("jars", this::jars);
        m.put("maven", maven::run);
        m.put("load", this::load);
        m.put("time", line -> time(line));
        m.put("help", line -> Magics.help(line, kernel.magicHelp()));
        return m;
    }

    @Override
    public Map<String, CellMagic> cellMagics() {
        Map<String, CellMagic> m = new LinkedHashMap<>();
        m.put("time", (line, body) -> time(body));
        m.put("html", (line, body) -> Display.html(body));
        m.put("markdown", (line, body) -> Display.markdown(body));
        return m;
    }

    @Override
    public Map<String, String> help() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("%classpath", "add folders or jars to the class path (PATH[:PATH…])");
        h.put("%jars", "add jars by path or glob (e.g. %jars lib/*.jar)");
        h.put("%maven", "add Maven artifacts and their runtime dependencies (group:artifact:version …; from ~/.m2/settings.xml; --offline, --settings FILE)");
        h.put("%load", "run a file of Java/JShell code (and magics) in this kernel");
        h.put("%time", "run the rest of the line and print the wall time");
        h.put("%%time", "run the cell and print the wall time");
        h.put("%%html", "show the cell as HTML");
        h.put("%%markdown", "show the cell as Markdown");
        h.put("%help", "this list; %help STEP: the keys of a step (e.g. %help fit)");
        return h;
    }

    private Object classpath(String line) {
        List<String> added = new ArrayList<>();
        for (String part : line.trim().split("[" + File.pathSeparator + "\\s]+")) {
            if (part.isBlank()) continue;
            Path p = Path.of(part).toAbsolutePath().normalize();
            if (!Files.exists(p))
                throw new ModelworkException("No such file or folder: " + p, "%classpath " + line, "check the path");
            kernel.shell().addToClasspath(p.toString());
            added.add(p.toString());
        }
        return added.isEmpty() ? System.getProperty("java.class.path") : "Added to the class path: " + String.join(", ", added);
    }

    private Object jars(String line) throws IOException {
        List<String> added = new ArrayList<>();
        for (String pattern : line.trim().split("\\s+")) {
            if (pattern.isBlank()) continue;
            for (Path p : glob(pattern)) {
                kernel.shell().addToClasspath(p.toString());
                added.add(p.toString());
            }
        }
        if (added.isEmpty())
            throw new ModelworkException("No jar matched: " + line.trim(), "%jars " + line.trim(), "give a jar path or a glob such as lib/*.jar");
        return "Added " + added.size() + " jar(s): " + String.join(", ", added);
    }

    static List<Path> glob(String pattern) throws IOException {
        Path p = Path.of(pattern);
        if (!pattern.contains("*") && !pattern.contains("?")) return Files.exists(p) ? List.of(p.toAbsolutePath()) : List.of();
        Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
        String name = p.getFileName().toString();
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, name)) {
            for (Path f : ds) if (Files.isRegularFile(f)) out.add(f.toAbsolutePath());
        }
        out.sort(null);
        return out;
    }

    private Object load(String line) throws Exception {
        Path p = Path.of(line.trim());
        if (!Files.isRegularFile(p))
            throw new ModelworkException("No such file: " + p.toAbsolutePath(), "%load " + line.trim(), "give the path of a .jsh/.java file");
        return unwrap(kernel.runCellNested(Files.readString(p)));
    }

    private Object time(String code) throws Exception {
        long t0 = System.nanoTime();
        Object r = kernel.runCellNested(code);
        double ms = (System.nanoTime() - t0) / 1e6;
        kernel.getIO().out.printf("Wall time: %s%n", ms < 1000 ? String.format("%.1f ms", ms) : String.format("%.3f s", ms / 1000));
        return unwrap(r);
    }

    private static Object unwrap(Object r) { return r == ModelworkKernel.noResult() ? null : r; }
}
