package io.modelwork.kernel.exec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** The ASM stop checks end an endless loop without Thread.stop. */
class StopInstrumenterTest {
    @AfterEach
    void reset() { StopCheck.reset(); }

    static Class<?> compileAndInstrument(Path dir) throws Exception {
        Path src = dir.resolve("Spin.java");
        Files.writeString(src, "public class Spin { public static long spin() { long n = 0; while (true) { n++; if (n < 0) return n; } } "
                + "public static int sum(int k) { int s = 0; for (int i = 0; i < k; i++) s += i; return s; } }");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", dir.toString(), src.toString()));
        byte[] bytes = StopInstrumenter.instrument(Files.readAllBytes(dir.resolve("Spin.class")));
        return new ClassLoader(StopInstrumenterTest.class.getClassLoader()) {
            Class<?> define() { return defineClass("Spin", bytes, 0, bytes.length); }
        }.define();
    }

    @Test
    void instrumentedCodeStillComputes(@TempDir Path dir) throws Exception {
        Class<?> c = compileAndInstrument(dir);
        assertEquals(4950, c.getMethod("sum", int.class).invoke(null, 100));
    }

    @Test
    void endlessLoopStopsOnRequest(@TempDir Path dir) throws Exception {
        Method spin = compileAndInstrument(dir).getMethod("spin");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                spin.invoke(null);
            } catch (InvocationTargetException e) {
                thrown.set(e.getCause());
            } catch (Exception e) {
                thrown.set(e);
            }
        });
        t.start();
        Thread.sleep(300);
        assertTrue(t.isAlive());
        StopCheck.requestStop();
        t.join(5000);
        assertFalse(t.isAlive(), "the loop did not stop");
        assertInstanceOf(ExecutionInterrupted.class, thrown.get());
    }
}
