package io.drover.protocol;

import io.drover.model.DroverException;
import io.drover.model.Names;

/**
 * A coordinator's ephemeral announcement at {@code coordinators/<id>}: where its API answers, for
 * discovery.
 *
 * @param apiUrl the URL clients can reach, empty when it serves no API
 */
public record CoordinatorInfo(String id, String apiUrl, long startedAtMs) {
    public CoordinatorInfo {
        apiUrl = apiUrl == null ? "" : apiUrl;
    }

    void validate() {
        Names.checkId("id", id);
        if (apiUrl.length() > 2048) {
            throw new DroverException("apiUrl is longer than 2048 characters", false);
        }
    }
}
