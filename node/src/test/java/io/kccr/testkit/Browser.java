package io.kccr.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Headless Chromium for the console's end-to-end tests, driven through the system's chromedriver (Debian's
 * {@code chromium} and {@code chromium-driver}): both paths are set explicitly, so Selenium Manager never runs and
 * nothing is downloaded. A fresh profile per browser; screenshots numbered in the order they are taken.
 */
public final class Browser implements AutoCloseable {
    public static final String CHROMIUM = System.getProperty("kccr.chromium", "/usr/bin/chromium");
    public static final String CHROMEDRIVER = System.getProperty("kccr.chromedriver", "/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path profile;
    private final Path screenshots;
    private int step;

    /**
     * Why the tests cannot drive a browser here (what to install), or null when Chromium and its driver exist.
     */
    public static String missing() {
        if (Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER))) {
            return null;
        }
        return "no Chromium at " + CHROMIUM + " or no chromedriver at " + CHROMEDRIVER + ": install them with"
                + " `apt-get install chromium chromium-driver` (Debian/Ubuntu; .ci/run does), or point"
                + " -Dkccr.chromium / -Dkccr.chromedriver at them";
    }

    /** Starts Chromium at {@code width x height}; screenshots go to {@code screenshots} (emptied of old ones). */
    public Browser(Path screenshots, int width, int height) throws IOException {
        this.screenshots = screenshots;
        Files.createDirectories(screenshots);
        try (Stream<Path> old = Files.list(screenshots)) {
            for (Path p : old.filter(p -> p.toString().endsWith(".png")).toList()) {
                Files.delete(p);
            }
        }
        this.profile = Files.createTempDirectory("kccr-chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        this.driver = new ChromeDriver(service, options);
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Polls {@code condition} (a non-null, non-false answer) until {@code timeout}; fails naming {@code what}. */
    public <T> T await(String what, Duration timeout, Function<WebDriver, T> condition) {
        return Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(100)).pollInSameThread()
                .ignoreException(StaleElementReferenceException.class) // the tables are redrawn every second
                .until(() -> condition.apply(driver), answer -> answer != null && !Boolean.FALSE.equals(answer));
    }

    /** Waits until {@code css} matches a displayed element, and returns it. */
    public WebElement awaitVisible(String css, Duration timeout) {
        return await(css + " to be displayed", timeout, d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    /** Saves the page as {@code NN-<name>.png}; returns its path. */
    public Path screenshot(String name) {
        Path file = screenshots.resolve(String.format("%02d-%s.png", ++step, name));
        try {
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The flags of cookie {@code name}: {@code httpOnly}, {@code secure}, {@code sameSite=<value>}; empty if absent. */
    public List<String> cookieFlags(String name) {
        org.openqa.selenium.Cookie c = driver.manage().getCookieNamed(name);
        if (c == null) {
            return List.of();
        }
        List<String> flags = new java.util.ArrayList<>();
        if (c.isHttpOnly()) {
            flags.add("httpOnly");
        }
        if (c.isSecure()) {
            flags.add("secure");
        }
        flags.add("sameSite=" + c.getSameSite());
        return flags;
    }

    /** What the page logged to its console (errors of scripts included), one line each. */
    public List<String> consoleLog() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::toString).toList();
    }

    public void resize(int width, int height) {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
