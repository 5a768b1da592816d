package io.modelwork.core;

import java.io.IOException;

/** Test access to {@link AtomicFiles}'s package-private fault hook: make writes fail as on a full disk. */
public final class AtomicFilesFaults {
    private AtomicFilesFaults() {}

    /** From now on, every atomic write fails with ENOSPC after its first chunk whose target name contains {@code nameContains}. */
    public static void diskFullFor(String nameContains) {
        AtomicFiles.fault = (tmp, written) -> {
            if (tmp.getFileName().toString().contains(nameContains)) throw new IOException(tmp + ": No space left on device");
        };
    }

    public static void clear() { AtomicFiles.fault = null; }
}
