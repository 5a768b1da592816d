package io.modelwork.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.history.HistoryManager;
import io.github.spencerpark.jupyter.channels.ShellHandler;
import io.github.spencerpark.jupyter.channels.ShellReplyEnvironment;
import io.github.spencerpark.jupyter.kernel.history.HistoryEntry;
import io.github.spencerpark.jupyter.messages.ContentType;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.MessageType;
import io.github.spencerpark.jupyter.messages.reply.HistoryReply;
import io.github.spencerpark.jupyter.messages.reply.KernelInfoReply;
import io.github.spencerpark.jupyter.messages.request.ExecuteRequest;
import io.github.spencerpark.jupyter.messages.request.HistoryRequest;
import io.github.spencerpark.jupyter.messages.request.KernelInfoRequest;
import io.modelwork.core.ModelworkException;
import io.modelwork.kernel.display.Html;
import io.modelwork.kernel.display.RendererRegistry;
import io.modelwork.kernel.exec.ExecutionInterrupted;
import io.modelwork.kernel.exec.ModelworkExecutionControl;
import io.modelwork.magics.CellMagic;
import io.modelwork.magics.LineMagic;
import io.modelwork.magics.MagicSet;
import io.modelwork.magics.Magics;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The Modelwork Jupyter kernel: JShell in this JVM ({@link ModelworkExecutionControl}), IJava-style magics, the
 * lifecycle magics ({@link Magics}), rich display through the {@link RendererRegistry}, readable errors.
 */
public class ModelworkKernel extends BaseKernel {
    static final String RED = "\u001b[31m", BOLD = "\u001b[1m", RESET = "\u001b[0m", CYAN = "\u001b[36m";
    private static final Object NO_RESULT = new Object();

    /** Imports every cell sees. */
    static final List<String> STARTUP = List.of(
            "import java.util.*;", "import java.util.function.*;", "import java.util.stream.*;",
            "import java.nio.file.*;", "import io.modelwork.core.*;", "import io.modelwork.report.*;",
            "import tech.tablesaw.api.*;", "import static io.modelwork.kernel.Display.*;",
            "import io.modelwork.magics.Magics;", "import static io.modelwork.magics.Magics.session;");

    private final ModelworkExecutionControl.Provider provider = new ModelworkExecutionControl.Provider();
    private final CompletableFuture<JShell> shellFuture = new CompletableFuture<>();
    private final java.util.concurrent.atomic.AtomicBoolean shellStarted = new java.util.concurrent.atomic.AtomicBoolean();
    private final RendererRegistry renderers;
    private final Map<String, LineMagic> lineMagics = new LinkedHashMap<>();
    private final Map<String, CellMagic> cellMagics = new LinkedHashMap<>();
    private final Map<String, String> magicHelp = new LinkedHashMap<>();
    private final History history = new History();
    private final ProgressDisplay progress = new ProgressDisplay(this);
    private final LanguageInfo languageInfo;
    /** Installed when the kernel serves a Jupyter connection (see {@link #becomeHandlerForConnection}). */
    private volatile OutputRouting routing;

    public ModelworkKernel() {
        super(StandardCharsets.UTF_8);
        Display.attach(this);
        this.languageInfo = new LanguageInfo("java", Runtime.version().toString(), "text/x-java-source", ".jshell",
                "java", "java", "script");
        ClassLoader loader = ModelworkKernel.class.getClassLoader();
        this.renderers = RendererRegistry.load(loader);
        for (MagicSet set : ServiceLoader.load(MagicSet.class, loader)) addMagics(set);
        addMagics(new KernelMagics(this));
        Magics.progress(progress);
    }

    /**
     * Starts JShell (and its compiler) on a background thread, once; {@link #shell()} waits for it. The kernel starts
     * it after answering the first {@code kernel_info_request} (every Jupyter client sends one first and waits for
     * it: on two busy cores JShell's start competed with that reply), or after {@link #SHELL_START_DELAY_MS} at the
     * latest, or on the first request that needs it.
     */
    void startShellInBackground() {
        if (!shellStarted.compareAndSet(false, true)) return;
        Thread t = new Thread(() -> {
            try {
                shellFuture.complete(startShell());
            } catch (Throwable e) {
                shellFuture.completeExceptionally(e);
            }
        }, "modelwork-jshell-start");
        t.setDaemon(true);
        t.start();
    }

    /** At most this long after the connection is bound JShell starts even without a kernel_info_request. */
    static final long SHELL_START_DELAY_MS = 1000;

    private void addMagics(MagicSet set) {
        lineMagics.putAll(set.lineMagics());
        cellMagics.putAll(set.cellMagics());
        magicHelp.putAll(set.help());
    }

    private JShell startShell() {
        JShell shell = JShell.builder()
                .executionEngine(provider, Map.of())
                .compilerOptions("-Xlint:none", "-proc:none")
                .build();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator))
            if (!entry.isBlank()) shell.addToClasspath(entry);
        for (String s : STARTUP) {
            for (SnippetEvent e : shell.eval(s))
                if (e.status() == Snippet.Status.REJECTED) kernelErr().println("modelwork kernel: start-up import rejected: " + s);
        }
        shell.eval("1"); // compile once: the first cell is then fast
        control().clearResults();
        return shell;
    }

    JShell shell() {
        startShellInBackground();
        return shellFuture.join();
    }

    ModelworkExecutionControl control() { return provider.control(); }

    /** The kernel's own stderr (the Jupyter server's log), not a cell's. */
    java.io.PrintStream kernelErr() {
        OutputRouting r = routing;
        return r == null ? System.err : r.kernelErr();
    }

    public RendererRegistry renderers() { return renderers; }

    Map<String, String> magicHelp() { return magicHelp; }

    // ---- protocol -----------------------------------------------------------------------------------------------

    @Override public LanguageInfo getLanguageInfo() { return languageInfo; }

    @Override public String getBanner() {
        return "Modelwork (Java " + Runtime.version().feature() + ") — JShell with the Modelwork library. %help lists the magics.";
    }

    @Override public List<LanguageInfo.Help> getHelpLinks() {
        return List.of(new LanguageInfo.Help("Java API", "https://docs.oracle.com/en/java/javase/" + Runtime.version().feature() + "/docs/api/"));
    }

    @Override public HistoryManager getHistoryManager() { return history; }

    /** basekernel's kernel_info_reply lacks {@code status}: this reply adds it. */
    static final class KernelInfoReplyWithStatus extends KernelInfoReply {
        @SuppressWarnings("unused") private final String status = "ok";

        KernelInfoReplyWithStatus(String impl, String version, LanguageInfo info, String banner, List<LanguageInfo.Help> help) {
            super("5.3", impl, version, info, banner, help);
        }
    }

    @Override
    public void becomeHandlerForConnection(JupyterConnection connection) {
        super.becomeHandlerForConnection(connection);
        installOutputRouting(connection);
        connection.setHandler(KernelInfoRequest.MESSAGE_TYPE, (env, msg) -> {
            env.setBusyDeferIdle();
            env.reply(new KernelInfoReplyWithStatus("modelwork", version(), getLanguageInfo(), getBanner(), getHelpLinks()));
            env.defer(this::startShellInBackground); // the reply has gone out; runs when this handler returns
        });
        connection.setHandler(HistoryRequest.MESSAGE_TYPE, this::handleHistory);
    }

    /**
     * basekernel's history_reply lacks {@code status}, and its entries must be {@code [session, line, input]} (or
     * {@code [session, line, [input, output]]}) lists: this reply writes them as such.
     */
    static final class HistoryReplyWithStatus implements ContentType<HistoryReplyWithStatus> {
        @SuppressWarnings("unused") private final String status = "ok";
        @SuppressWarnings("unused") private final List<List<Object>> history = new ArrayList<>();

        HistoryReplyWithStatus(List<HistoryEntry> entries, boolean output) {
            for (HistoryEntry e : entries) {
                Object in = output ? List.of(e.getInput(), e.hasOutput() ? e.getOutput() : "") : e.getInput();
                history.add(List.of(e.getSession(), e.getCellNumber(), in));
            }
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        @Override public MessageType<HistoryReplyWithStatus> getType() { return (MessageType) HistoryReply.MESSAGE_TYPE; }
    }

    /**
     * {@code System.out}/{@code System.err} stay routed for the kernel's lifetime ({@link OutputRouting}) instead of
     * basekernel's swap during each cell, so that output of threads a cell started reaches that cell later too. The
     * execute handler is wrapped to tell the routing which cell runs; the cell worker adopts it at each task.
     */
    private void installOutputRouting(JupyterConnection connection) {
        OutputRouting r = new OutputRouting(System.out, System.err);
        setShouldReplaceStdStreams(false);
        System.setOut(r.out);
        System.setErr(r.err);
        System.setIn(getIO().in);
        provider.onWorkerTask(r::adoptRunningCell);
        routing = r;
        ShellHandler<ExecuteRequest> execute = connection.getHandler(MessageType.EXECUTE_REQUEST);
        connection.setHandler(MessageType.EXECUTE_REQUEST, (env, msg) -> {
            r.cellStarted(env);
            try {
                execute.handle(env, msg);
            } finally {
                r.cellEnded(env);
            }
        });
    }

    /**
     * Publishes {@code content} (display, update, clear_output) to the cell of the calling thread — also from a
     * thread a finished cell started; dropped when no cell owns the thread. Without a connection: basekernel's stream.
     */
    void publish(io.github.spencerpark.jupyter.messages.ContentType<?> content, DisplayData fallback, boolean update) {
        OutputRouting r = routing;
        if (r != null) {
            r.publish(content);
        } else if (fallback != null) {
            if (update) getIO().display.updateDisplay(fallback);
            else getIO().display.display(fallback);
        }
    }

    private void handleHistory(ShellReplyEnvironment env, Message<HistoryRequest> msg) {
        env.setBusyDeferIdle();
        HistoryRequest req = msg.getContent();
        Set<HistoryManager.ResultFlag> flags = EnumSet.noneOf(HistoryManager.ResultFlag.class);
        if (req.includeOutput()) flags.add(HistoryManager.ResultFlag.INCLUDE_OUTPUT);
        if (!req.useRaw()) flags.add(HistoryManager.ResultFlag.TRANSFORMED_INPUT);
        List<HistoryEntry> entries;
        if (req instanceof HistoryRequest.Tail t) entries = history.lookupTail(t.getMaxReturnLength(), flags);
        else if (req instanceof HistoryRequest.Range r) entries = history.lookupRange(r.getSessionIndex(), r.getStart(), r.getStop(), flags);
        else if (req instanceof HistoryRequest.Search s) {
            if (s.filterUnique()) flags.add(HistoryManager.ResultFlag.UNIQUE);
            entries = history.search(s.getPattern(), s.getMaxReturnLength(), flags);
        } else entries = List.of();
        env.reply(new HistoryReplyWithStatus(entries, req.includeOutput()));
    }

    static String version() {
        String v = ModelworkKernel.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }

    @Override
    public List<String> formatError(Exception e) {
        if (e instanceof CellException c) return c.traceback();
        return List.of(RED + e.getClass().getSimpleName() + ": " + e.getMessage() + RESET);
    }

    @Override
    public void interrupt() {
        JShell s = shellFuture.getNow(null);
        if (s != null) s.stop();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        try {
            if (Magics.hasSession()) Magics.close("");
        } catch (RuntimeException ignored) { }
        JShell s = shellFuture.getNow(null);
        if (s != null) s.close();
    }

    // ---- execute ------------------------------------------------------------------------------------------------

    @Override
    public DisplayData eval(String code) throws Exception {
        JShell shell = shell();
        control().beforeCell();
        progress.reset();
        int cell = executionCount.get() - 1;
        Object result;
        try {
            result = runCell(shell, code);
        } catch (CellException e) {
            history.add(cell, code, null);
            throw e;
        }
        DisplayData out = null;
        if (result != NO_RESULT) {
            List<DisplayData> bundles = renderers.render(result);
            for (int i = 0; i < bundles.size() - 1; i++) getIO().display.display(bundles.get(i));
            out = bundles.get(bundles.size() - 1);
        }
        Object text = out == null ? null : out.getData(io.github.spencerpark.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN);
        history.add(cell, code, text == null ? null : text.toString());
        return out;
    }

    /** Runs a cell (magics and Java); also used by {@code %load} and {@code %%time}. */
    Object runCell(JShell shell, String code) throws CellException {
        String[] lines = code.split("\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) first++;
        if (first < lines.length && lines[first].stripLeading().startsWith("%%")) {
            String header = lines[first].stripLeading().substring(2);
            String name = header.split("\\s+", 2)[0];
            String line = header.length() > name.length() ? header.substring(name.length()).trim() : "";
            String body = String.join("\n", java.util.Arrays.asList(lines).subList(first + 1, lines.length));
            CellMagic m = cellMagics.get(name);
            if (m == null) throw unknownMagic("%%" + name);
            return magicResult(() -> m.run(line, body), "%%" + name);
        }
        Object last = NO_RESULT;
        StringBuilder buf = new StringBuilder();
        int bufStart = 0;
        for (int i = 0; i < lines.length; i++) {
            String stripped = lines[i].stripLeading();
            if (stripped.startsWith("%") && !stripped.startsWith("%%") && stripped.length() > 1 && Character.isLetter(stripped.charAt(1))) {
                if (!buf.toString().isBlank()) last = evalCode(shell, buf.toString(), bufStart);
                buf.setLength(0);
                bufStart = i + 1;
                String name = stripped.substring(1).split("\\s+", 2)[0];
                String line = stripped.substring(1 + name.length()).trim();
                LineMagic m = lineMagics.get(name);
                if (m == null) throw unknownMagic("%" + name);
                last = magicResult(() -> m.run(line), "%" + name);
            } else {
                if (buf.length() == 0) bufStart = i;
                buf.append(lines[i]).append('\n');
            }
        }
        if (!buf.toString().isBlank()) last = evalCode(shell, buf.toString(), bufStart);
        return last;
    }

    private CellException unknownMagic(String name) {
        List<String> names = new ArrayList<>();
        lineMagics.keySet().forEach(n -> names.add("%" + n));
        cellMagics.keySet().forEach(n -> names.add("%%" + n));
        return ErrorNames.create("UnknownMagic", "Unknown magic " + name,
                List.of(RED + BOLD + "Unknown magic " + name + RESET, "  known magics: " + String.join(" ", names),
                        "  %help lists them with one line each"));
    }

    static Object noResult() { return NO_RESULT; }

    /**
     * A cell run from inside a magic ({@code %load}, {@code %%time}): the magic already runs on the cell worker, so
     * Java code goes through JShell as usual and nested magics run in place.
     */
    Object runCellNested(String code) throws CellException {
        nested.set(Boolean.TRUE);
        try {
            return runCell(shell(), code);
        } finally {
            nested.remove();
        }
    }

    private final ThreadLocal<Boolean> nested = new ThreadLocal<>();

    private interface MagicCall { Object run() throws Exception; }

    private Object magicResult(MagicCall call, String name) throws CellException {
        try {
            Object r = nested.get() != null ? call.run() : control().runTask(call::run);
            return r == null ? NO_RESULT : r;
        } catch (ExecutionInterrupted e) {
            throw interrupted();
        } catch (CellException e) {
            throw e;
        } catch (Throwable t) {
            throw userError(t, name);
        }
    }

    private Object evalCode(JShell shell, String code, int lineBase) throws CellException {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        Object last = NO_RESULT;
        String rem = code;
        int offset = 0;
        while (!rem.isBlank()) {
            SourceCodeAnalysis.CompletionInfo ci = analysis.analyzeCompletion(rem);
            if (ci.completeness() == SourceCodeAnalysis.Completeness.EMPTY) break;
            String src, next;
            if (ci.completeness().isComplete()) {
                src = ci.source();
                next = ci.remaining();
            } else {
                src = rem;
                next = "";
            }
            int lead = 0;
            while (lead < rem.length() && Character.isWhitespace(rem.charAt(lead))) lead++;
            Object v = evalSnippet(shell, src, code, offset + lead, lineBase);
            last = v;
            offset += rem.length() - next.length();
            rem = next;
        }
        return last;
    }

    private Object evalSnippet(JShell shell, String src, String code, int start, int lineBase) throws CellException {
        List<SnippetEvent> events = shell.eval(src);
        Object value = NO_RESULT;
        for (SnippetEvent ev : events) {
            if (ev.causeSnippet() != null) continue;
            Snippet s = ev.snippet();
            if (ev.status() == Snippet.Status.REJECTED) throw compileError(shell, s, code, start, lineBase);
            JShellException ex = ev.exception();
            if (ex != null) throw withCellLine(runtimeError(ex, src), ex, s, code, start, lineBase);
            String key = ev.value();
            if (key != null && key.startsWith("mw$")) {
                boolean[] found = new boolean[1];
                Object v = control().takeResult(key, found);
                if (found[0] && shows(s) && !Display.isLastDisplayId(v)) value = v;
            }
        }
        return value;
    }

    /** Expressions show their value; declarations ({@code int x = 1;}) do not. */
    private static boolean shows(Snippet s) {
        if (s instanceof ExpressionSnippet) return true;
        return s instanceof VarSnippet && s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
    }

    // ---- errors -------------------------------------------------------------------------------------------------

    private CellException compileError(JShell shell, Snippet s, String code, int start, int lineBase) {
        List<String> tb = new ArrayList<>();
        String first = null;
        for (Diag d : shell.diagnostics(s).toList()) {
            if (!d.isError()) continue;
            String msg = d.getMessage(Locale.ROOT);
            if (first == null) first = msg.lines().findFirst().orElse(msg);
            int abs = (int) Math.max(0, Math.min(code.length(), start + Math.max(0, d.getStartPosition())));
            int absEnd = (int) Math.max(abs, Math.min(code.length(), start + Math.max(0, d.getEndPosition())));
            int lineStart = code.lastIndexOf('\n', abs - 1) + 1;
            int lineEnd = code.indexOf('\n', abs);
            if (lineEnd < 0) lineEnd = code.length();
            int lineNo = lineBase + 1 + (int) code.substring(0, abs).chars().filter(c -> c == '\n').count();
            String text = code.substring(lineStart, lineEnd);
            tb.add(RED + BOLD + "error: " + RESET + RED + msg.lines().findFirst().orElse(msg) + RESET);
            msg.lines().skip(1).forEach(l -> tb.add("  " + l));
            tb.add(CYAN + String.format("  line %d: ", lineNo) + RESET + text);
            int caret = abs - lineStart, len = Math.max(1, Math.min(absEnd, lineEnd) - abs);
            tb.add(" ".repeat(String.format("  line %d: ", lineNo).length() + caret) + RED + "^".repeat(len) + RESET);
        }
        if (s.kind() == Snippet.Kind.ERRONEOUS && tb.isEmpty()) {
            first = "the code could not be parsed";
            tb.add(RED + "error: the code could not be parsed" + RESET);
        }
        if (first == null) {
            first = "the snippet was rejected";
            tb.add(RED + "error: " + first + RESET);
        }
        return ErrorNames.create("CompilationError", first, tb);
    }

    private CellException interrupted() {
        return ErrorNames.create("Interrupted", "The cell was interrupted",
                List.of(RED + BOLD + "Interrupted" + RESET + ": the cell was stopped; the kernel and its state are kept."));
    }

    /**
     * The error with the cell line it was thrown at (from JShell's stack, whose frames name the snippet {@code #id}
     * and the line in it), or, when it was thrown in a method an earlier cell declared, that method's name.
     */
    private static CellException withCellLine(CellException e, JShellException ex, Snippet s, String code, int start, int lineBase) {
        String where = cellLine(ex.getStackTrace(), s.id(), code, start, lineBase);
        if (where == null || !(e.getClass().getName().startsWith("io.modelwork.kernel.errors.") || e.getClass() == CellException.class))
            return e;
        if (e.ename().equals("Interrupted")) return e;
        List<String> tb = new ArrayList<>(e.traceback());
        tb.add(Math.min(1, tb.size()), CYAN + "  " + where + RESET);
        return ErrorNames.create(e.ename(), e.getMessage(), tb);
    }

    /** "line 3 of the cell: a[3] = 1;" for the first frame of the cell's code; null when none is known. */
    static String cellLine(StackTraceElement[] frames, String snippetId, String code, int start, int lineBase) {
        String inner = null;
        for (StackTraceElement f : frames) {
            String file = f.getFileName();
            if (file == null || !file.startsWith("#") || f.getLineNumber() <= 0) continue;
            if (!file.equals("#" + snippetId)) {
                if (inner == null) inner = "in " + f.getMethodName() + "(…), line " + f.getLineNumber() + " of its declaration";
                continue;
            }
            int startLine = (int) code.substring(0, Math.min(start, code.length())).chars().filter(c -> c == '\n').count();
            int idx = startLine + f.getLineNumber() - 1;
            String[] lines = code.split("\n", -1);
            String text = idx >= 0 && idx < lines.length ? lines[idx].strip() : "";
            String here = "line " + (lineBase + idx + 1) + " of the cell" + (text.isEmpty() ? "" : ": " + text);
            return inner == null ? here : inner + ", called from " + here;
        }
        return inner;
    }

    private CellException runtimeError(JShellException ex, String src) {
        if (ex instanceof EvalException ee && ModelworkExecutionControl.INTERRUPTED_CLASS.equals(ee.getExceptionClassName()))
            return interrupted();
        if (ex instanceof UnresolvedReferenceException ure) {
            String name = ure.getSnippet().toString();
            return ErrorNames.create("UnresolvedReference", "Unresolved reference",
                    List.of(RED + "error: " + RESET + "this code uses a declaration that is not defined yet: " + name,
                            "  define what it refers to in an earlier cell, then run this cell again"));
        }
        Throwable t = control().lastThrown();
        if (t == null) {
            String cls = ex instanceof EvalException ee ? ee.getExceptionClassName() : ex.getClass().getName();
            return ErrorNames.create(simple(cls), String.valueOf(ex.getMessage()),
                    List.of(RED + BOLD + cls + RESET + ": " + ex.getMessage()));
        }
        return userError(t, "cell");
    }

    /** A user-visible error: a ModelworkException as what/where/fix (HTML card with the trace folded), else a short trace. */
    CellException userError(Throwable t, String where) {
        if (t instanceof ExecutionInterrupted) return interrupted();
        ModelworkException me = findModelwork(t);
        if (me != null) {
            // shown once, as the cell's error output (what / where / fix); no extra display of the same text
            List<String> tb = new ArrayList<>();
            tb.add(RED + BOLD + "Modelwork error: " + RESET + RED + me.what() + RESET);
            if (!me.where().isBlank()) tb.add(CYAN + "  where: " + RESET + me.where());
            if (!me.fix().isBlank()) tb.add(CYAN + "  fix:   " + RESET + me.fix());
            return ErrorNames.create("ModelworkException", me.what(), tb);
        }
        List<String> tb = new ArrayList<>();
        tb.add(RED + BOLD + t.getClass().getName() + RESET + (t.getMessage() == null ? "" : ": " + t.getMessage()));
        addFrames(tb, t);
        Set<Throwable> seen = new LinkedHashSet<>();
        for (Throwable c = t.getCause(); c != null && seen.add(c); c = c.getCause()) {
            tb.add("Caused by: " + c.getClass().getName() + (c.getMessage() == null ? "" : ": " + c.getMessage()));
            addFrames(tb, c);
        }
        return ErrorNames.create(t.getClass().getSimpleName(), String.valueOf(t.getMessage()), tb);
    }

    /** User frames only: stops at the reflection/JShell/kernel frames that called the cell. */
    private static void addFrames(List<String> tb, Throwable t) {
        int shown = 0;
        for (StackTraceElement f : t.getStackTrace()) {
            String c = f.getClassName();
            if (c.startsWith("jdk.internal.reflect") || c.startsWith("java.lang.reflect") || c.startsWith("jdk.jshell")
                    || c.startsWith("io.modelwork.kernel.") || c.startsWith("io.modelwork.magics.Magics")) break;
            if (c.startsWith("REPL.$JShell$")) {
                tb.add("    at cell" + (f.getMethodName().equals("do_it$") ? "" : " (" + f.getMethodName() + ")"));
                continue;
            }
            if (++shown > 12) { tb.add("    ..."); break; }
            tb.add("    at " + f);
        }
    }

    private static ModelworkException findModelwork(Throwable t) {
        Set<Throwable> seen = new LinkedHashSet<>();
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause())
            if (c instanceof ModelworkException me) return me;
        return null;
    }

    private static String simple(String cls) {
        int i = cls.lastIndexOf('.');
        return i < 0 ? cls : cls.substring(i + 1);
    }

    // ---- completion, inspection, is_complete --------------------------------------------------------------------

    /** Magic lines replaced by spaces (same length), so JShell sees only Java. */
    private static String maskMagics(String code) {
        StringBuilder sb = new StringBuilder(code.length());
        for (String line : code.split("\n", -1)) {
            if (sb.length() > 0) sb.append('\n');
            if (line.stripLeading().startsWith("%")) sb.append(" ".repeat(line.length()));
            else sb.append(line);
        }
        return sb.toString();
    }

    /** [start, end) of the snippet that holds {@code at}. */
    private int[] snippetRange(SourceCodeAnalysis a, String code, int at) {
        String rem = code;
        int offset = 0;
        while (!rem.isBlank()) {
            SourceCodeAnalysis.CompletionInfo ci = a.analyzeCompletion(rem);
            if (!ci.completeness().isComplete()) break;
            int end = offset + rem.length() - ci.remaining().length();
            if (at <= end) return new int[]{offset, end};
            offset = end;
            rem = ci.remaining();
        }
        return new int[]{offset, code.length()};
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int lineStart = code.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
        if (at == 0) lineStart = 0;
        String prefix = code.substring(lineStart, at).stripLeading();
        if (prefix.startsWith("%")) {
            boolean cell = prefix.startsWith("%%");
            String typed = prefix.substring(cell ? 2 : 1);
            if (typed.chars().allMatch(Character::isLetterOrDigit)) {
                List<String> out = new ArrayList<>();
                for (String n : (cell ? cellMagics : lineMagics).keySet()) if (n.startsWith(typed)) out.add(n);
                return new ReplacementOptions(out, at - typed.length(), at);
            }
            // the keys of a step magic (%fit ro<Tab> → rounds=), spec names after spec=, choices after key=
            String name = typed.split("\\s+", 2)[0];
            if (cell || name.length() == typed.length()) return null;
            String args = typed.substring(name.length() + 1);
            io.modelwork.magics.MagicOptions.Completion c;
            try {
                c = io.modelwork.magics.MagicOptions.complete(name, args);
            } catch (RuntimeException e) {
                return null;
            }
            if (c == null) return null;
            return new ReplacementOptions(c.candidates(), at - args.length() + c.start(), at);
        }
        SourceCodeAnalysis a = shell().sourceCodeAnalysis();
        String masked = maskMagics(code);
        int[] r = snippetRange(a, masked, at);
        String snip = masked.substring(r[0], r[1]);
        int[] anchor = new int[1];
        List<String> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (SourceCodeAnalysis.Suggestion s : a.completionSuggestions(snip, at - r[0], anchor))
            if (seen.add(s.continuation())) out.add(s.continuation());
        return new ReplacementOptions(out, r[0] + anchor[0], at);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        DisplayData magic = inspectMagic(code, at);
        if (magic != null) return magic;
        SourceCodeAnalysis a = shell().sourceCodeAnalysis();
        String masked = maskMagics(code);
        int[] r = snippetRange(a, masked, at);
        String snip = masked.substring(r[0], r[1]);
        int pos = at - r[0];
        List<SourceCodeAnalysis.Documentation> docs = a.documentation(snip, pos, true);
        if (docs.isEmpty()) {
            // "Math.max" with the cursor at its end: look at it as a call
            int end = pos;
            while (end < snip.length() && Character.isJavaIdentifierPart(snip.charAt(end))) end++;
            docs = a.documentation(snip.substring(0, end) + "(", end + 1, true);
        }
        if (docs.isEmpty()) return null;
        StringBuilder text = new StringBuilder();
        StringBuilder html = new StringBuilder();
        for (SourceCodeAnalysis.Documentation d : docs) {
            text.append(d.signature()).append('\n');
            html.append("<pre><b>").append(Html.esc(d.signature())).append("</b></pre>");
            if (d.javadoc() != null && !d.javadoc().isBlank()) {
                text.append(d.javadoc().strip()).append("\n\n");
                html.append("<div>").append(Html.esc(d.javadoc().strip())).append("</div>");
            }
        }
        DisplayData out = new DisplayData(text.toString().strip());
        out.putHTML(html.toString());
        return out;
    }

    /** Shift-Tab on a step magic line: the step's keys with type, default, range and help. */
    private DisplayData inspectMagic(String code, int at) {
        int lineStart = at == 0 ? 0 : code.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
        int lineEnd = code.indexOf('\n', at);
        String line = code.substring(lineStart, lineEnd < 0 ? code.length() : lineEnd).strip();
        if (!line.startsWith("%") || line.startsWith("%%")) return null;
        String name = line.substring(1).split("\\s+", 2)[0];
        String text;
        try {
            text = io.modelwork.magics.MagicOptions.inspect(name);
        } catch (RuntimeException e) {
            text = null;
        }
        if (text == null) {
            String h = magicHelp.get("%" + name);
            if (h == null) return null;
            text = "%" + name + "  " + h;
        }
        DisplayData out = new DisplayData(text);
        out.putHTML("<pre>" + Html.esc(text) + "</pre>");
        return out;
    }

    @Override
    public String isComplete(String code) {
        String trimmed = code.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("%%")) return IS_COMPLETE_YES;
        SourceCodeAnalysis a = shell().sourceCodeAnalysis();
        String rem = maskMagics(code);
        while (!rem.isBlank()) {
            SourceCodeAnalysis.CompletionInfo ci = a.analyzeCompletion(rem);
            switch (ci.completeness()) {
                case COMPLETE, COMPLETE_WITH_SEMI -> rem = ci.remaining();
                case EMPTY -> { return IS_COMPLETE_YES; }
                case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> { return "    "; }
                default -> { return IS_COMPLETE_BAD; }
            }
        }
        return IS_COMPLETE_YES;
    }

    // ---- stdin --------------------------------------------------------------------------------------------------

    /** One line from the notebook user (input_request on the stdin channel). */
    String readLine(String prompt) {
        getIO().out.print(prompt);
        getIO().out.flush();
        InputStream in = getIO().in;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) >= 0 && b != '\n') line.write(b);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    // ---- main ---------------------------------------------------------------------------------------------------

    /** basekernel logs every message and socket loop at INFO to the kernel's stderr: keep it to warnings. */
    private static final java.util.logging.Logger BASEKERNEL_LOG = java.util.logging.Logger.getLogger("");

    /** How long the shell and control loops sleep between non-blocking polls (basekernel's default: 50 ms). */
    static final long POLL_MILLIS = 10;

    /**
     * basekernel's shell and control channels poll their socket without blocking and then sleep a fixed 50 ms, so
     * every request (execute, kernel_info, complete...) waited 25 ms on average and up to 50 ms before it was read.
     * This sets their sleep to 10 ms before {@code connect()} binds them (the loop reads it there): 5 ms mean wait. An
     * idle kernel then wakes 2 × 100 times a second for a poll that finds nothing (measured on 2 loaded cores: idle
     * CPU 1.3 % of a core at 50 ms, 3.4 % at 5 ms). Without the field (another basekernel version) it stays at 50 ms.
     * {@code -Dmodelwork.kernel.pollMillis=N} overrides it.
     */
    static void shortenShellPolling(JupyterConnection connection, long millis) {
        if (millis <= 0) return;
        try {
            java.lang.reflect.Field sleep = io.github.spencerpark.jupyter.channels.ShellChannel.class.getDeclaredField("sleep");
            sleep.setAccessible(true);
            for (String name : List.of("shell", "control")) {
                java.lang.reflect.Field f = JupyterConnection.class.getDeclaredField(name);
                f.setAccessible(true);
                sleep.setLong(f.get(connection), millis);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("modelwork kernel: shell polling stays at basekernel's 50 ms (" + e + ")");
        }
    }

    /** Cells the CDS training run executes: they load what a session's first cells load (JShell, javac, renderers). */
    static final List<String> TRAINING_CELLS = List.of(
            "1 + 1", "int x = 2;", "String s = \"a\" + x; s", "List.of(1, 2, 3).stream().map(i -> i * x).collect(Collectors.toList())",
            "void hello() { System.out.println(\"hello\"); }", "hello();", "%help",
            "Table.create(\"t\", DoubleColumn.create(\"x\", new double[]{1, 2}))",
            "Chart.line(\"c\", \"C\", \"x\", \"y\", List.of(Chart.Series.line(\"s\", new double[]{1, 2}, new double[]{1, 4})))");

    /**
     * The class-loading run behind the kernel's AppCDS archive ({@code KernelInstaller} starts it with
     * {@code -XX:ArchiveClassesAtExit}): binds a Jupyter connection on free local ports, waits for JShell, runs
     * {@link #TRAINING_CELLS} and exits normally, so the JVM writes the archive of every class loaded from the JDK
     * and the kernel's jars. Hand-written because the JVM dumps only at a normal exit, which a kernel shut down by
     * Jupyter does not reliably reach before it is killed.
     */
    static void cdsTraining() throws Exception {
        int[] ports = new int[5];
        for (int i = 0; i < ports.length; i++) {
            try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                ports[i] = ss.getLocalPort();
            }
        }
        String json = String.format("{\"ip\": \"127.0.0.1\", \"transport\": \"tcp\", \"control_port\": %d, \"shell_port\": %d,"
                + " \"stdin_port\": %d, \"hb_port\": %d, \"iopub_port\": %d, \"signature_scheme\": \"hmac-sha256\","
                + " \"key\": \"cds-training\"}", ports[0], ports[1], ports[2], ports[3], ports[4]);
        JupyterConnection connection = new JupyterConnection(KernelConnectionProperties.parse(json));
        ModelworkKernel kernel = new ModelworkKernel();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        for (String cell : TRAINING_CELLS) {
            try {
                kernel.eval(cell);
            } catch (Exception e) {
                kernel.kernelErr().println("modelwork kernel: CDS training cell failed (" + cell + "): " + e);
            }
        }
        kernel.onShutdown(false);
        connection.close();
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--cds-training")) {
            System.setProperty("java.awt.headless", "true");
            BASEKERNEL_LOG.setLevel(java.util.logging.Level.WARNING);
            cdsTraining();
            System.exit(0);
        }
        if (args.length < 1) {
            System.err.println("usage: ModelworkKernel CONNECTION_FILE");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        BASEKERNEL_LOG.setLevel(java.util.logging.Level.WARNING);
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        JupyterConnection connection = new JupyterConnection(props);
        shortenShellPolling(connection, Long.getLong("modelwork.kernel.pollMillis", POLL_MILLIS));
        ModelworkKernel kernel = new ModelworkKernel();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        java.util.concurrent.CompletableFuture.delayedExecutor(SHELL_START_DELAY_MS, java.util.concurrent.TimeUnit.MILLISECONDS)
                .execute(kernel::startShellInBackground);
        connection.waitUntilClose();
        System.exit(0);
    }
}
