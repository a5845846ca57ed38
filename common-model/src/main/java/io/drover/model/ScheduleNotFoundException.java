package io.drover.model;

/** No schedule with this id exists (never defined, or deleted). */
public class ScheduleNotFoundException extends DroverException {
    private static final long serialVersionUID = 1L;

    public ScheduleNotFoundException(String scheduleId) {
        super("no schedule with id " + scheduleId + "; GET /v1/schedules lists them", false);
    }
}
