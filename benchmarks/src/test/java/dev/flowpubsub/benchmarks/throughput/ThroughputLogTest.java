package dev.flowpubsub.benchmarks.throughput;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the throughput tool reads its nodes' logs while they are being written. */
class ThroughputLogTest {

    @Test
    void aTotalLineStillBeingWritten_isNotTakenForOne_untilItsLineEnds() {
        String half = "STEP 1 rate 500 node 1 sent 250 received 250\nTOTAL node 1 sent 350 rec";

        assertThat(ThroughputTool.hasWholeLine(half, "TOTAL node ")).isFalse();
        assertThat(ThroughputTool.hasWholeLine(half + "eived 350 missed 0\n", "TOTAL node ")).isTrue();
        assertThat(ThroughputTool.hasWholeLine("TOTAL node 0 sent 1 received 1 missed 0\n", "TOTAL node ")).isTrue();
        assertThat(ThroughputTool.hasWholeLine("", "TOTAL node ")).isFalse();
    }
}
