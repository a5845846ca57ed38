package io.drover.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A new term's two steps, transition by transition. */
class TermStartupTest {
    @Test
    void aDeepBacklogStillBeingRead_dispatchStartsOnceTheViewIsRead_readinessWaitsForTheBacklog() {
        TermStartup startup = new TermStartup(2);

        assertThat(startup.viewSourceRead()).isEqualTo(TermStartup.Step.NONE);
        assertThat(startup.dispatching()).isFalse();
        assertThat(startup.viewSourceRead()).isEqualTo(new TermStartup.Step(true, false));
        assertThat(startup.dispatching()).isTrue();

        assertThat(startup.pendingRead()).isEqualTo(new TermStartup.Step(false, true));
    }

    @Test
    void aSmallFolderReadFirst_theLastViewSourceStartsDispatchAndReadinessTogether() {
        TermStartup startup = new TermStartup(2);

        assertThat(startup.pendingRead()).isEqualTo(TermStartup.Step.NONE);
        assertThat(startup.viewSourceRead()).isEqualTo(TermStartup.Step.NONE);

        assertThat(startup.viewSourceRead()).isEqualTo(new TermStartup.Step(true, true));
    }

    @Test
    void aSourceReportedTwice_startsNothingAgain() {
        TermStartup startup = new TermStartup(1);
        startup.viewSourceRead();
        startup.pendingRead();

        assertThat(startup.viewSourceRead()).isEqualTo(TermStartup.Step.NONE);
        assertThat(startup.pendingRead()).isEqualTo(TermStartup.Step.NONE);
    }
}
