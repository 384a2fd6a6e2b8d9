package dev.flowpubsub;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Rules for the library's own code that the compiler does not check. */
class SourceRulesTest {

    @Test
    void noMonitorIsHeldWhereAVirtualThreadMayBlock() {
        // A page's monitor guards a few field writes per page, never I/O, a wait, a handler or a Vaadin lock; a
        // ReentrantLock there would add about 50 bytes to every subscribed page (DECISIONS.md, 2026-11-30)
        assertThat(SourceRules.synchronizedUses(Path.of("src/main/java"), Set.of("Page.java", "PageDrain.java"))).isEmpty();
    }
}
