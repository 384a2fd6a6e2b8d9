package dev.flowpubsub.chat;

import org.springframework.boot.test.context.SpringBootTest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The chat application on a random port, as the end-to-end tests run it. Every test class with this annotation
 * shares one Spring context (same properties), hence one server and one hub: such tests assert on the hub's counts
 * relative to what was there before them, and leave their pages when done.
 *
 * <p>Dev tools are off, so the README's pictures show the chat as a production build does (no toolbar, and no room
 * left below the views for one); {@link DevModeBrowserTest} clicks Send with them on. The tests use no
 * Chrome DevTools Protocol, so Selenium's warning that it has no CDP module for Chromium 156 is silenced. A page whose
 * push connection is lost leaves its presence after 8 seconds instead of 15: longer than the 5 seconds the Vaadin
 * client waits before it reconnects push, shorter for the test of a killed browser.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "vaadin.devmode.devTools.enabled=false",
        "logging.level.org.openqa.selenium.devtools.CdpVersionFinder=error",
        "pubsub.presence.disconnect-grace=8s"})
@interface ChatOnRandomPort {
}
