package io.modelwork.kernel.exec;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JShell execution in the kernel's own JVM (as IJava does): notebook code sees the kernel's classes and objects.
 *
 * <ul>
 *   <li>Snippet classes are instrumented with {@link StopInstrumenter} before they are defined, so {@link #stop()}
 *       ends CPU-bound loops; sleeping or blocked code is woken with {@link Thread#interrupt()}.</li>
 *   <li>Snippets run on a dedicated worker thread (never on the ZeroMQ thread, which an interrupt would break).
 *       If a worker does not come back within 3 s of a stop (e.g. stuck in native code), it is abandoned and a fresh
 *       one serves the next cell.</li>
 *   <li>Values are kept as objects: {@link #invoke} returns a key under which the value is stored, so the kernel can
 *       render the real object, not its {@code toString()}.</li>
 *   <li>The last exception thrown by user code is kept as the real {@link Throwable} for readable error output.</li>
 * </ul>
 */
public class ModelworkExecutionControl extends DirectExecutionControl {
    public static final String INTERRUPTED_CLASS = ExecutionInterrupted.class.getName();
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Map<String, Object> results = new ConcurrentHashMap<>();
    private final AtomicLong keys = new AtomicLong();
    private volatile ExecutorService worker = newWorker();
    private volatile Thread workerThread;
    private volatile Throwable lastThrown;
    private volatile boolean running;
    private volatile Runnable onWorkerTask = () -> { };

    /** Runs on the worker thread before each snippet or magic (the kernel marks the thread's output owner there). */
    void onWorkerTask(Runnable r) { onWorkerTask = r == null ? () -> { } : r; }

    private ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "modelwork-cell-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(ModelworkExecutionControl.class.getClassLoader());
            workerThread = t;
            return t;
        });
    }

    @Override
    public void load(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        ClassBytecodes[] out = new ClassBytecodes[cbcs.length];
        for (int i = 0; i < cbcs.length; i++) {
            byte[] bytes;
            try {
                bytes = StopInstrumenter.instrument(cbcs[i].bytecodes());
            } catch (RuntimeException e) {
                bytes = cbcs[i].bytecodes(); // never fail a cell because of the stop checks
            }
            out[i] = new ClassBytecodes(cbcs[i].name(), bytes);
        }
        super.load(out);
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        Object value = runOnWorker(() -> doitMethod.invoke(null));
        return store(value);
    }

    @Override
    public String varValue(String className, String varName) throws RunException, EngineTerminationException, InternalException {
        try {
            Class<?> klass = findClass(className);
            var field = klass.getDeclaredField(varName);
            field.setAccessible(true);
            return store(field.get(null));
        } catch (Exception e) {
            return super.varValue(className, varName);
        }
    }

    private String store(Object value) {
        String key = "mw$" + keys.incrementAndGet();
        results.put(key, value == null ? NULL : value);
        return key;
    }

    private static final Object NULL = new Object();

    /** The object JShell reported under {@code key} (removed), or {@code null}; {@code found[0]} says whether a value existed. */
    public Object takeResult(String key, boolean[] found) {
        Object v = key == null ? null : results.remove(key);
        found[0] = v != null;
        return v == NULL ? null : v;
    }

    public void clearResults() { results.clear(); }

    /** The real exception the last failing snippet threw (cleared by {@link #beforeCell()}). */
    public Throwable lastThrown() { return lastThrown; }

    public void beforeCell() {
        StopCheck.reset();
        lastThrown = null;
        results.clear();
    }

    private interface Call { Object call() throws Exception; }

    private Object runOnWorker(Call call) throws Exception {
        if (Thread.currentThread() == workerThread) {
            // nested (a magic such as %%time running Java code): already on the worker
            try {
                return call.call();
            } catch (InvocationTargetException ite) {
                lastThrown = ite.getCause();
                throw ite;
            }
        }
        Runnable setup = onWorkerTask;
        Future<Object> f = worker.submit(() -> {
            Thread.interrupted();
            setup.run();
            return call.call();
        });
        running = true;
        try {
            while (true) {
                try {
                    return f.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (StopCheck.stopRequested()) return awaitStopped(f);
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvocationTargetException ite) {
                Throwable user = ite.getCause();
                lastThrown = user;
                if (StopCheck.stopRequested() && (user instanceof InterruptedException || user instanceof ExecutionInterrupted))
                    throw new InvocationTargetException(new ExecutionInterrupted());
                throw ite;
            }
            if (StopCheck.stopRequested() && (cause instanceof InterruptedException || cause instanceof ExecutionInterrupted))
                throw new InvocationTargetException(new ExecutionInterrupted());
            if (cause instanceof Error err) throw new InvocationTargetException(err);
            throw (cause instanceof Exception ex) ? ex : new RuntimeException(cause);
        } finally {
            running = false;
        }
    }

    private Object awaitStopped(Future<Object> f) throws Exception {
        Thread t = workerThread;
        if (t != null) t.interrupt();
        try {
            return f.get(3, TimeUnit.SECONDS);
        } catch (TimeoutException stuck) {
            // the old worker is stuck outside instrumented code: leave it, start a fresh one
            ExecutorService old = worker;
            worker = newWorker();
            old.shutdownNow();
            throw new InvocationTargetException(new ExecutionInterrupted());
        }
    }

    /**
     * Runs kernel-side work (a magic) on the cell worker, so that an interrupt reaches it the same way; exceptions
     * come back unwrapped, an interrupted task throws {@link ExecutionInterrupted}.
     */
    public Object runTask(java.util.concurrent.Callable<Object> task) throws Exception {
        try {
            return runOnWorker(task::call);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            if (t instanceof Exception ex) throw ex;
            if (t instanceof Error err) throw err;
            throw e;
        }
    }

    /** Called by JShell.stop() (the kernel's interrupt). */
    @Override
    public void stop() {
        if (!running) return;
        StopCheck.requestStop();
        Thread t = workerThread;
        if (t != null) t.interrupt();
    }

    @Override
    public void close() {
        worker.shutdownNow();
        super.close();
    }

    /** The provider the kernel hands to {@code JShell.builder().executionEngine(...)}. */
    public static final class Provider implements ExecutionControlProvider {
        private volatile ModelworkExecutionControl last;
        private volatile Runnable onWorkerTask;

        /** Passed to every control this provider generates (see {@link ModelworkExecutionControl#onWorkerTask}). */
        public void onWorkerTask(Runnable r) {
            onWorkerTask = r;
            ModelworkExecutionControl c = last;
            if (c != null) c.onWorkerTask(r);
        }

        @Override public String name() { return "modelwork-direct"; }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            ModelworkExecutionControl c = new ModelworkExecutionControl();
            c.onWorkerTask(onWorkerTask);
            last = c;
            return c;
        }

        public ModelworkExecutionControl control() { return last; }
    }
}
