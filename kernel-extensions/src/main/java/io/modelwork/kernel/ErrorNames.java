package io.modelwork.kernel;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.lang.reflect.Constructor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * basekernel names an error (the {@code ename} of {@code error} and {@code execute_reply}) after the simple class name
 * of the exception {@code eval} throws. To report the real name ({@code ArithmeticException},
 * {@code ModelworkException}, {@code Interrupted}), a subclass of {@link CellException} with that simple name is
 * generated once per name.
 */
final class ErrorNames {
    private static final String PKG = "io/modelwork/kernel/errors/";
    private static final String SUPER = CellException.class.getName().replace('.', '/');
    private static final Map<String, Constructor<?>> CACHE = new ConcurrentHashMap<>();

    private static final class Loader extends ClassLoader {
        Loader() { super(ErrorNames.class.getClassLoader()); }

        Class<?> define(String name, byte[] b) { return defineClass(name, b, 0, b.length); }
    }

    private static final Loader LOADER = new Loader();

    private ErrorNames() {}

    static CellException create(String ename, String evalue, List<String> traceback) {
        String simple = sanitize(ename);
        try {
            Constructor<?> c = CACHE.computeIfAbsent(simple, ErrorNames::generate);
            return (CellException) c.newInstance(ename, evalue, traceback);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new CellException(ename, evalue, traceback);
        }
    }

    private static String sanitize(String ename) {
        StringBuilder sb = new StringBuilder();
        for (char ch : ename.toCharArray()) sb.append(Character.isJavaIdentifierPart(ch) ? ch : '_');
        if (sb.length() == 0 || !Character.isJavaIdentifierStart(sb.charAt(0))) sb.insert(0, 'E');
        return sb.toString();
    }

    private static synchronized Constructor<?> generate(String simple) {
        String internal = PKG + simple;
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, internal, null, SUPER, null);
        String desc = "(Ljava/lang/String;Ljava/lang/String;Ljava/util/List;)V";
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", desc, null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitVarInsn(Opcodes.ALOAD, 1);
        mv.visitVarInsn(Opcodes.ALOAD, 2);
        mv.visitVarInsn(Opcodes.ALOAD, 3);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, SUPER, "<init>", desc, false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        try {
            return LOADER.define(internal.replace('/', '.'), cw.toByteArray()).getConstructor(String.class, String.class, List.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }
}
