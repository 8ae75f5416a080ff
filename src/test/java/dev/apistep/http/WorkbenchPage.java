package dev.apistep.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The workbench page as a flow author uses it: by its labelled fields and buttons. */
final class WorkbenchPage {

    /** How long a step may take to come back; the page itself answers in milliseconds. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    static final Path SCREENSHOTS = Path.of("target", "container", "workbench");

    final ChromeDriver driver;

    WorkbenchPage(ChromeDriver driver, String functionUrl) {
        this.driver = driver;
        driver.get(functionUrl + "workbench/");
        waitUntil("the page's script ran", () -> !field("export-event").getAttribute("value").isEmpty());
    }

    WebElement field(String id) {
        return driver.findElement(By.id(id));
    }

    String value(String id) {
        return field(id).getDomProperty("value");
    }

    String text(String id) {
        return field(id).getText();
    }

    void type(String id, String text) {
        WebElement field = field(id);
        field.clear();
        field.sendKeys(text);
    }

    void choose(String id, String value) {
        new Select(field(id)).selectByValue(value);
    }

    /** Clicks Send or Render (or presses a key elsewhere, through {@code action}) and waits for its result. */
    void awaitResultOf(Runnable action) {
        // The mode line is emptied first, so that the result waited for is the new one.
        driver.executeScript("document.getElementById('result-mode').textContent = ''");
        action.run();
        waitUntil("a result", () -> !text("result-mode").isEmpty());
    }

    /** Clicks "Call as a model would" and waits for the tool's answer (emptied first, as the mode line above). */
    void callAsAModel() {
        driver.executeScript("document.getElementById('tool-answer').textContent = ''");
        field("tool-call").click();
        waitUntil("the tool's answer", () -> !field("tool-answer").getDomProperty("textContent").isEmpty());
    }

    void send() {
        awaitResultOf(() -> field("send").click());
    }

    WebElement leaf(String path) {
        By leaf = By.cssSelector(".tree button.leaf[data-path='" + path + "']");
        new WebDriverWait(driver, PATIENCE).until(ExpectedConditions.elementToBeClickable(leaf));
        return driver.findElement(leaf);
    }

    void waitUntil(String what, java.util.function.BooleanSupplier condition) {
        new WebDriverWait(driver, PATIENCE).withMessage(what).until(browser -> condition.getAsBoolean());
    }

    /** The page from its top, the result panel too: the request line, the step and the result's summary. */
    void screenshot(String name) throws IOException {
        driver.executeScript("window.scrollTo(0, 0); document.querySelector('.result-panel').scrollTop = 0");
        save(name);
    }

    /** The page scrolled to one element. */
    void screenshot(String name, By at) throws IOException {
        driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", driver.findElement(at));
        save(name);
    }

    private void save(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }
}
