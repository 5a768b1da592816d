package io.modelwork.kernel.exec;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.HashSet;
import java.util.Set;

/**
 * Rewrites the byte code of compiled JShell snippets so that a CPU-bound loop can be interrupted without
 * {@code Thread.stop}: a call to {@link StopCheck#check()} is inserted at the start of every method and before every
 * backward jump (the back edge of each loop). The call takes and leaves nothing on the operand stack, so stack maps
 * and max stack stay valid.
 */
public final class StopInstrumenter {
    static final String OWNER = StopCheck.class.getName().replace('.', '/');

    private StopInstrumenter() {}

    public static byte[] instrument(byte[] classBytes) {
        ClassReader reader = new ClassReader(classBytes);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) return mv;
                return new StopCheckMethodVisitor(mv);
            }
        }, 0);
        return writer.toByteArray();
    }

    private static final class StopCheckMethodVisitor extends MethodVisitor {
        private final Set<Label> seen = new HashSet<>();

        StopCheckMethodVisitor(MethodVisitor mv) { super(Opcodes.ASM9, mv); }

        private void check() {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, OWNER, "check", "()V", false);
        }

        @Override public void visitCode() {
            super.visitCode();
            check();
        }

        @Override public void visitLabel(Label label) {
            seen.add(label);
            super.visitLabel(label);
        }

        @Override public void visitJumpInsn(int opcode, Label label) {
            if (seen.contains(label)) check();
            super.visitJumpInsn(opcode, label);
        }

        @Override public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            if (seen.contains(dflt) || anySeen(labels)) check();
            super.visitTableSwitchInsn(min, max, dflt, labels);
        }

        @Override public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            if (seen.contains(dflt) || anySeen(labels)) check();
            super.visitLookupSwitchInsn(dflt, keys, labels);
        }

        private boolean anySeen(Label[] labels) {
            for (Label l : labels) if (seen.contains(l)) return true;
            return false;
        }
    }
}
