package io.drover.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.DroverPaths;
import io.drover.model.InvalidTaskException;
import io.drover.model.QuotaExceededException;
import io.drover.model.TaskSpec;
import io.drover.testkit.ZooKeeperServerExtension;
import java.util.concurrent.CompletionException;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The cap on live tasks holds for Java clients too: it lives in the store every submit uses. */
class AdmissionTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    @Test
    void submitBeyondTheCap_failsRetryably_andWritesNothing() throws Exception {
        CuratorFramework client = ZK.newClient();
        DroverPaths paths = new DroverPaths(ZK.uniqueCluster());
        Layout.ensure(client, paths);
        TaskStore store = new TaskStore(client, paths, StoreOptions.defaults().withMaxLiveTasks(2));
        store.submit(TaskSpec.builder("t").id("a").build()).join();
        store.submit(TaskSpec.builder("t").id("b").build()).join();

        assertThatThrownBy(() -> store.submit(TaskSpec.builder("t").id("c").build()).join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(QuotaExceededException.class)
                .hasMessage(
                        "the cluster has 2 live tasks and takes at most 2; retry once some have ended")
                .matches(e -> ((QuotaExceededException) e).isRetryable());
        assertThat(store.spec("c").join()).as("nothing written").isEmpty();
        assertThat(client.checkExists().forPath(paths.status("c"))).isNull();
    }

    @Test
    void scheduledMoreThanAYearAhead_isRefused_namingTheField() {
        CuratorFramework client = ZK.newClient();
        DroverPaths paths = new DroverPaths(ZK.uniqueCluster());
        Layout.ensure(client, paths);
        TaskStore store = new TaskStore(client, paths, StoreOptions.defaults());
        long now = System.currentTimeMillis();

        assertThatThrownBy(
                        () ->
                                store.submit(
                                                TaskSpec.builder("t")
                                                        .id("far")
                                                        .notBeforeMs(now + 400L * 86_400_000)
                                                        .build())
                                        .join())
                .cause()
                .isInstanceOf(InvalidTaskException.class)
                .hasMessageContaining("notBeforeMs")
                .hasMessageContaining("must be at most 366 days after submission");
        store.submit(TaskSpec.builder("t").id("near").notBeforeMs(now + 300L * 86_400_000).build())
                .join();
    }

    @Test
    void anotherStoreOnTheSameCluster_countsWhatTheFirstSubmitted() throws Exception {
        CuratorFramework client = ZK.newClient();
        DroverPaths paths = new DroverPaths(ZK.uniqueCluster());
        Layout.ensure(client, paths);
        StoreOptions capOf2 = StoreOptions.defaults().withMaxLiveTasks(2);
        TaskStore first = new TaskStore(client, paths, capOf2);
        first.submit(TaskSpec.builder("t").id("a").build()).join();
        first.submit(TaskSpec.builder("t").id("b").build()).join();

        TaskStore second = new TaskStore(ZK.newClient(), paths, capOf2);

        assertThatThrownBy(() -> second.submit(TaskSpec.builder("t").id("c").build()).join())
                .cause()
                .isInstanceOf(QuotaExceededException.class);
    }
}
