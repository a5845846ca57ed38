package io.drover.store;

/**
 * Who submits, as the caller authenticated them, and their own cap on live tasks.
 *
 * @param principal the name the principals file gives the caller's token or certificate
 * @param maxLiveTasks that principal's live (not yet ended) tasks the cluster takes; 0: no cap of
 *     its own
 */
public record SubmitterQuota(String principal, long maxLiveTasks) {
    public SubmitterQuota {
        if (principal == null || principal.isBlank()) {
            throw new IllegalArgumentException("principal is required");
        }
        if (maxLiveTasks < 0) {
            throw new IllegalArgumentException("maxLiveTasks must not be negative");
        }
    }
}
