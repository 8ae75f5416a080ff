package dev.apistep.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven through Debian's own chromedriver: both named by path, so Selenium
 * Manager never looks for (or downloads) a browser or a driver. Missing, they fail the test (install them
 * with {@code .ci/test-servers}); a browser test that skips proves nothing.
 */
final class HeadlessChromium {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /**
     * A browser with a fresh profile (nothing remembered from another test), 1280×800, and its own driver
     * process (quitting a browser stops its driver).
     */
    static Window open() throws IOException {
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: run .ci/test-servers (apt-get install chromium chromium-driver)");
        assertTrue(Files.isExecutable(CHROMEDRIVER), CHROMEDRIVER + " is missing: run .ci/test-servers (apt-get install chromium chromium-driver)");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        Path profile = Files.createTempDirectory("workbench-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(new File(CHROMIUM.toString()));
        // No network but loopback here: nothing in the background may try to reach out.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1280,800");
        try {
            return new Window(new ChromeDriver(service, options), profile);
        } catch (RuntimeException notStarted) {
            delete(profile);
            throw notStarted;
        }
    }

    private static void delete(Path profile) throws IOException {
        try (Stream<Path> files = Files.walk(profile)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** One browser; closing it quits Chromium and its driver and deletes its profile. */
    record Window(ChromeDriver driver, Path profile) implements AutoCloseable {

        @Override
        public void close() throws IOException {
            driver.quit();
            delete(profile);
        }
    }
}
