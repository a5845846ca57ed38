package io.drover.model;

/** The cluster already holds the most items it keeps. Not retryable as such: delete items first. */
public class ItemLimitException extends DroverException {
    private static final long serialVersionUID = 1L;

    public ItemLimitException(int held, int max) {
        super(
                "the cluster already holds "
                        + held
                        + " items, the most it keeps is "
                        + max
                        + "; delete some first",
                false);
    }
}
