package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.server.AppShellRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The missing-push warning is about the application: shown once when its shell has no @Push, never for a mocked page. */
class PushWarningTest {

    private final VaadinApp app = new VaadinApp();

    @AfterEach
    void close() {
        app.close();
    }

    static final class ShellWithoutPush implements AppShellConfigurator {
    }

    @Push
    static final class ShellWithPush implements AppShellConfigurator {
    }

    private String logOfSubscribingPages(Class<? extends AppShellConfigurator> shell) {
        if (shell != null) {
            AppShellRegistry.getInstance(app.service.getContext()).setShell(shell);
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 3; i++) {
                UI page = app.browser().tab(); // push off, as a page of an application without @Push
                page.accessSynchronously(() -> PubSub.current().subscribe(message -> { }));
            }
        } finally {
            System.setErr(originalErr);
        }
        return log.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shellWithoutPush_isWarnedAboutOnce_namingTheShell() {
        String log = logOfSubscribingPages(ShellWithoutPush.class);

        assertThat(log.lines().filter(line -> line.contains("has no server push")).toList()).singleElement()
                .satisfies(line -> assertThat(line).contains("Add @Push to " + ShellWithoutPush.class.getName()));
    }

    @Test
    void shellWithPush_isNotWarnedAbout() {
        assertThat(logOfSubscribingPages(ShellWithPush.class)).doesNotContain("server push");
    }

    @Test
    void mockedPagesWithoutAShell_asInKaribuTests_areNotWarnedAbout() {
        assertThat(logOfSubscribingPages(null)).doesNotContain("server push");
    }
}
