package dev.flowpubsub.chat;

import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.server.AppShellSettings;
import com.vaadin.flow.theme.lumo.Lumo;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The chat demo: Flet's chat example on flow-pubsub. {@code @Push} is what lets one user's message reach
 * the other users' browsers without them doing anything. {@code styles.css} (in {@code META-INF/resources}) keeps the
 * buttons clear of Vaadin's development toolbar in development mode.
 */
@SpringBootApplication
@Push
@StyleSheet(Lumo.STYLESHEET)
@StyleSheet("styles.css")
public class Application implements AppShellConfigurator {

    public static void main(String[] args) {
        SpringApplication.run(Application.class, args);
    }

    /** The tab's icon, served from {@code META-INF/resources}: without one the browser asks for a missing favicon. */
    @Override
    public void configurePage(AppShellSettings settings) {
        settings.addFavIcon("icon", "icons/chat.svg", "any");
    }
}
