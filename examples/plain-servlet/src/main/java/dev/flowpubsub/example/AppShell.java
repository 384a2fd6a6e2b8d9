package dev.flowpubsub.example;

import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.theme.lumo.Lumo;

/**
 * The application shell: {@code @Push} lets the server send the clock and what others say to a page that asked
 * for nothing; Lumo is Vaadin's theme (Vaadin 25 applies none unless asked).
 */
@Push
@StyleSheet(Lumo.STYLESHEET)
public final class AppShell implements AppShellConfigurator {
}
