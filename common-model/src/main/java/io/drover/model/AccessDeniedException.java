package io.drover.model;

/**
 * ZooKeeper refused an operation for who this process is ({@code NoAuth}), or the cluster's ACL
 * policy and this process's credentials do not fit. Retrying does not help: the credentials or the
 * policy have to change.
 */
public class AccessDeniedException extends DroverException {
    private static final long serialVersionUID = 1L;

    public AccessDeniedException(String message, Throwable cause) {
        super(message, false, cause);
    }
}
