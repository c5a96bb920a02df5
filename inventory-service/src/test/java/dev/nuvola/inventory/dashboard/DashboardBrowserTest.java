package dev.nuvola.inventory.dashboard;

import static dev.nuvola.inventory.TestFleet.awaitStatus;
import static dev.nuvola.inventory.TestFleet.now;
import static dev.nuvola.inventory.TestFleet.status;
import static dev.nuvola.inventory.TestFleet.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestOverIpv6;
import dev.nuvola.devstack.test.TestKafka;
import dev.nuvola.events.GuestMetrics;
import dev.nuvola.events.GuestSize;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.ResizeOutcome;
import dev.nuvola.events.ResizeResult;
import dev.nuvola.devstack.test.Tokens;
import dev.nuvola.kit.security.Roles;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The dashboard in Debian's headless Chromium, driven by Selenium through Debian's chromedriver (nothing is
 * downloaded): it shows the fleet and shows a resize result from the real broker within a second. The screenshot
 * is kept as target/dashboard.png. Skipped, saying why, where chromium or chromium-driver is not installed.
 */
@QuarkusTest
@ExtendWith(RestOverIpv6.class)
@WithTestResource(value = NuvolaStackResource.class,
        initArgs = @ResourceArg(name = NuvolaStackResource.DATABASE, value = "nuvola_inventory"))
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final TestKafka kafka = TestKafka.shared();

    private WebDriver browser;
    private Path profile;

    @BeforeEach
    void openBrowser() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the dashboard test needs Debian's chromium and chromium-driver (apt-get install -y chromium "
                        + "chromium-driver): " + CHROMIUM + " or " + CHROMEDRIVER + " is missing");
        profile = Files.createTempDirectory("nuvola-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void showsTheFleetAndAResizeWithinASecond() throws IOException {
        String host = unique("dash-host");
        String guest = host + "-xmpp";
        String neighbour = host + "-web";
        Instant t0 = now().minusSeconds(120);
        kafka.send(host, status(host, t0, 57344, new HostGuest(guest, 2048, 8192, 2, 4),
                new HostGuest(neighbour, 4096, 8192, 2, 4)));
        awaitStatus("/api/v1/guests/" + neighbour, 200);
        kafka.send(guest, new GuestMetrics(guest, host, Instant.now().minusSeconds(30), 2048, 1800, 248, 2, 0.4,
                null, null));

        browser.get("http://[::1]:" + RestAssured.port + "/#token=" + Tokens.withRoles(Roles.VIEWER));
        // The table is re-rendered on every change, so an element found one moment may be stale the next.
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15), Duration.ofMillis(20));
        wait.ignoring(StaleElementReferenceException.class);
        wait.until(d -> !d.findElements(By.cssSelector("[data-guest='" + guest + "']")).isEmpty());
        wait.until(d -> "live".equals(d.findElement(By.id("connection")).getText()));

        // The fleet: the host with its capacity bars, both guests with their assigned memory.
        String hostCard = wait.until(d -> d.findElement(By.cssSelector("[data-host='" + host + "']")).getText());
        assertThat(hostCard).contains("memory 8192 / 65536 MiB allocated").contains("vCPUs 8 / 16 allocated")
                .contains(guest).contains(neighbour);
        assertThat(assigned(guest)).isEqualTo("2048");
        assertThat(assigned(neighbour)).isEqualTo("4096");

        // The guest's chart, then a resize on the real broker.
        wait.until(d -> {
            d.findElement(By.cssSelector("[data-guest='" + guest + "']")).click();
            return true;
        });
        wait.until(d -> js("return Chart.getChart('chart') ? Chart.getChart('chart').data.datasets.length : 0")
                .equals(3L));
        kafka.send(guest, new ResizeResult(unique("cmd"), guest, host, ResizeOutcome.APPLIED, null,
                "memory above 85% of assigned", new GuestSize(2048, 2), new GuestSize(3072, 2), Instant.now()));
        // From the moment the broker has acknowledged the record.
        long sent = System.nanoTime();
        new WebDriverWait(browser, Duration.ofSeconds(5), Duration.ofMillis(10)).until(d -> "3072".equals(assigned(guest)));
        long shownMillis = (System.nanoTime() - sent) / 1_000_000;
        System.out.printf("[inventory] dashboard showed the resize %d ms after the broker had it%n", shownMillis);
        assertThat(shownMillis).as("ms from the resize result on the broker to the page").isLessThan(1000);

        wait.until(d -> js("return Chart.getChart('chart').data.datasets[2].data.length").equals(1L));
        assertThat(js("return Chart.getChart('chart').data.datasets[2].data[0].y")).isEqualTo(3072L);
        List<String> log = wait.until(d -> d.findElements(By.cssSelector("#log li")).stream().map(e -> e.getText())
                .toList());
        assertThat(log).anyMatch(line -> line.contains("RESIZE " + guest) && line.contains("2048 -> 3072 MiB"));

        Path screenshot = Path.of("target", "dashboard.png");
        Files.createDirectories(screenshot.getParent());
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), screenshot,
                StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(screenshot)).isPositive();
    }

    @Test
    void withoutATokenThePageAsksForOne() {
        browser.get("http://[::1]:" + RestAssured.port + "/");
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(d -> d.findElement(By.id("login")).isDisplayed());
        assertThat(browser.findElement(By.id("dashboard")).isDisplayed()).isFalse();
    }

    /** Read in the page in one step: the table is re-rendered on every change, so a held element goes stale. */
    private String assigned(String guestId) {
        return (String) js("const cell = document.querySelector(\"[data-guest='" + guestId + "'] td.memory\");"
                + " return cell ? cell.dataset.assigned : null;");
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }
}
