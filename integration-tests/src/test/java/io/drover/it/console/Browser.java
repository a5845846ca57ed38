package io.drover.it.console;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium driven through its chromedriver: Debian's {@code chromium} and {@code
 * chromium-driver} packages, never a browser or driver Selenium would download. Without them the
 * test fails, saying how to install them, unless {@code -Ddrover.skipBrowserTests=true} skips it on
 * purpose (CI never sets it).
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM =
            Path.of(System.getProperty("drover.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER =
            Path.of(System.getProperty("drover.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final int WIDTH = 1360;
    private static final int HEIGHT = 900;
    private static final int MAX_SHOT = 1400;

    final ChromeDriver driver;
    private final String base;

    private Browser(ChromeDriver driver, String base) {
        this.driver = driver;
        this.base = base;
    }

    /** A browser for the console at {@code base} (a coordinator's API URL). */
    static Browser open(String base) {
        Assumptions.assumeFalse(
                Boolean.getBoolean("drover.skipBrowserTests"),
                "-Ddrover.skipBrowserTests=true: the console's browser tests are skipped");
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail(
                    "the console's browser tests need "
                            + CHROMIUM
                            + " and "
                            + CHROMEDRIVER
                            + ": install them with `apt-get update && apt-get install -y chromium"
                            + " chromium-driver` (or skip these tests on purpose with"
                            + " -Ddrover.skipBrowserTests=true)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox", // the tests may run as root
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--lang=en-US",
                "--window-size=" + WIDTH + "," + HEIGHT);
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER.toFile())
                        .usingAnyFreePort()
                        .build();
        return new Browser(new ChromeDriver(service, options), base);
    }

    void go(String hash) {
        driver.get(base + "/" + hash);
    }

    /** Waits (bounded) until the condition holds and returns its value. */
    <T> T await(Function<WebDriver, T> condition) {
        // Pages re-render as data arrives: an element found a moment ago may be replaced.
        return new WebDriverWait(driver, Duration.ofSeconds(30))
                .pollingEvery(Duration.ofMillis(100))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition);
    }

    WebElement visible(String css) {
        return await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    /**
     * The text of the element at {@code css} once it holds every one of {@code parts} (bounded):
     * read afresh each time, since pages redraw as data arrives.
     */
    String text(String css, String... parts) {
        return await(
                d -> {
                    String t = d.findElement(By.cssSelector(css)).getText();
                    for (String p : parts) {
                        if (!t.contains(p)) {
                            return null;
                        }
                    }
                    return t;
                });
    }

    /** Clicks the element at {@code css} once it can be clicked, found afresh on each try. */
    void click(String css) {
        await(
                d -> {
                    WebElement e = d.findElement(By.cssSelector(css));
                    if (!e.isDisplayed() || !e.isEnabled()) {
                        return null;
                    }
                    e.click(); // a redraw in between throws StaleElementReference: tried again
                    return true;
                });
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /**
     * Saves the page, as tall as its content (at most {@value #MAX_SHOT} px), to {@code
     * target/console-screenshots/<name>.png}; docs/console holds the copies committed.
     */
    Path screenshot(String name) throws Exception {
        long content =
                ((Number) script("return document.documentElement.scrollHeight")).longValue();
        long frame =
                ((Number) script("return window.outerHeight - window.innerHeight")).longValue();
        int viewport = (int) Math.max(720, Math.min(MAX_SHOT, content));
        driver.manage().window().setSize(new Dimension(WIDTH, viewport + (int) frame));
        try {
            await(d -> ((Number) script("return window.innerHeight")).intValue() >= viewport);
            Files.createDirectories(SCREENSHOTS);
            Path out = SCREENSHOTS.resolve(name + ".png");
            Files.write(out, driver.getScreenshotAs(OutputType.BYTES));
            return out;
        } finally {
            driver.manage().window().setSize(new Dimension(WIDTH, HEIGHT));
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
