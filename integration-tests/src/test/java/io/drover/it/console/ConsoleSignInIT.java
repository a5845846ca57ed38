package io.drover.it.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.model.DroverJson;
import io.drover.server.testing.PrincipalsFiles;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;

/**
 * The console on a coordinator with authentication: a visitor without a session sees the sign-in
 * form; a token opens a session kept in an HttpOnly cookie, with which pages read, stream and
 * write; signing out ends it.
 */
class ConsoleSignInIT {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();
    @TempDir static Path dir;

    private static PrincipalsFiles principals;
    private static ServerHarness server;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        principals = new PrincipalsFiles(dir.resolve("principals.yml"));
        principals.token("ops", "operator");
        principals.token("viewer", "reader");
        Path file = principals.write();
        server =
                ServerHarness.start(
                        ZK.connectString(),
                        "console-secure",
                        c -> c.security.principalsFile = file.toString());
        server.startWorker("worker-1", 2);
        browser = Browser.open(server.url());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void signedOut() {
        browser.go("");
        browser.driver.manage().deleteAllCookies();
    }

    private static HttpResponse<String> call(String method, String path, String body)
            throws Exception {
        return server.send(
                HttpRequest.newBuilder(URI.create(server.url() + path))
                        .header("Authorization", "Bearer " + principals.tokenOf("ops"))
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build());
    }

    private static void signIn(String token) {
        WebElement input = browser.visible("#token");
        input.clear();
        input.sendKeys(token);
        browser.click("#signin-submit");
    }

    /** What the page's own fetch of a path answers, with the browser's cookies. */
    private static long statusSeenByThePage(String path) {
        return (Long)
                browser.driver.executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + " fetch(arguments[0]).then(r => done(r.status));",
                        path);
    }

    @Test
    void aVisitorWithoutASession_seesTheSignInForm_andAGoodTokenOpensTheConsole() throws Exception {
        browser.go("#/workers");
        browser.visible("#signin-form");
        assertThat(browser.driver.findElements(By.cssSelector("#main table"))).isEmpty();
        browser.screenshot("sign-in");

        signIn("drv_not-a-token-this-server-knows");
        browser.text("#signin-error", "does not know that token");

        signIn(principals.tokenOf("ops"));
        browser.visible("tr[data-worker-id='worker-1']");
        browser.text("#who", "ops", "operator");
        Cookie session = browser.driver.manage().getCookieNamed("drover_session");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(session.getValue()).doesNotContain(principals.tokenOf("ops").substring(4));
        assertThat(browser.script("return document.cookie")).isEqualTo("");
        assertThat(statusSeenByThePage("/v1/cluster")).isEqualTo(200);
    }

    @Test
    void withASession_cancelOnATaskPageTakesEffect_andSigningOutEndsIt() throws Exception {
        HttpResponse<String> submitted = call("POST", "/v1/tasks", "{\"type\":\"parked\"}");
        String id = DroverJson.mapper().readTree(submitted.body()).get("id").asText();
        browser.go("#/task/" + id);
        signIn(principals.tokenOf("ops"));
        browser.visible("#waiting-for");

        browser.click("#cancel");
        browser.click("#confirm-ok");
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                DroverJson.mapper()
                                        .readTree(call("GET", "/v1/tasks/" + id, null).body())
                                        .get("state")
                                        .asText()
                                        .equals("CANCELLED"));

        browser.click("#sign-out");
        browser.visible("#signin-form");
        assertThat(statusSeenByThePage("/v1/cluster")).isEqualTo(401);
    }

    @Test
    void aReadersSession_offersNoButtonItsRoleCannotUse() {
        browser.go("#/workers");
        signIn(principals.tokenOf("viewer"));

        browser.visible("button.drain[data-worker='worker-1']");
        // Rows are drawn again as events arrive: read the button afresh each time.
        String title =
                browser.await(
                        d -> {
                            WebElement drain =
                                    d.findElement(
                                            By.cssSelector("button.drain[data-worker='worker-1']"));
                            return drain.isEnabled() ? null : drain.getAttribute("title");
                        });
        assertThat(title).contains("operator");
    }
}
