package io.modelwork.registry;

import java.util.List;

/**
 * The result of {@link ModelRegistry#verify()}.
 *
 * @param auditRows       how many audit rows were checked
 * @param versions        how many version rows were checked
 * @param blobsChecked    how many artifact blobs were re-hashed
 * @param problems        what is wrong, in the order found (audit chain first); empty when the registry is intact
 */
public record VerifyReport(long auditRows, long versions, long blobsChecked, List<Problem> problems) {

    public VerifyReport {
        problems = List.copyOf(problems);
    }

    /**
     * One inconsistency.
     *
     * @param seq     the audit row concerned, or 0 when the problem is not tied to one audit row (a blob, a table)
     * @param message what is wrong, naming the row, version or file
     */
    public record Problem(long seq, String message) {
        @Override
        public String toString() {
            return seq > 0 ? "audit seq " + seq + ": " + message : message;
        }
    }

    /** True when no problem was found. */
    public boolean intact() {
        return problems.isEmpty();
    }

    /** The smallest audit seq with a problem, or -1 when no audit row is bad. */
    public long firstBadSeq() {
        return problems.stream().mapToLong(Problem::seq).filter(s -> s > 0).min().orElse(-1);
    }

    /** A one-line summary. */
    public String summary() {
        if (intact()) {
            return "registry intact: " + auditRows + " audit rows, " + versions + " versions, "
                    + blobsChecked + " blobs verified";
        }
        long bad = firstBadSeq();
        return "registry verification FAILED (" + problems.size() + " problem(s))"
                + (bad > 0 ? "; first bad audit row: seq " + bad : "") + ": " + problems.get(0);
    }
}
