package dev.flowpubsub;

import com.vaadin.flow.signals.operations.SignalOperation;
import com.vaadin.flow.signals.shared.SharedListSignal;
import com.vaadin.flow.signals.shared.SharedMapSignal;
import com.vaadin.flow.signals.shared.SharedNumberSignal;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The re-seed after the engine lost its data under races: two losses in a row, a node that missed a whole epoch, a
 * name loaded between the loss and the first re-seed, a stream of writes, snapshots and compactions meanwhile. Written
 * by an independent review, as a demanding user would, against what docs/guarantees.md ("Shared signals across
 * servers") and DECISIONS.md promise; six of them failed before the fixes that followed it.
 */
class SignalReseedRacesTest {

    @RegisterExtension
    final SignalNodes nodes = SignalNodes.stepped(7707);

    private static List<String> values(SharedListSignal<String> list) {
        return list.peekConfirmed().stream().map(entry -> entry.peekConfirmed()).toList();
    }

    private static boolean confirmed(SignalOperation<?> operation) {
        return operation.result().isDone() && operation.result().join().successful();
    }

    /* --- two losses in a row --- */

    /**
     * A node cut off through a whole epoch comes back after a second loss with the state of the epoch before; the
     * re-seed of the node that lived through the second epoch wins, though it lands second, since epochs order.
     * Failed before: the first re-seed won, and a write confirmed in the second epoch vanished.
     */
    @Test
    void aNodeThatMissedAWholeEpoch_doesNotWipeTheWritesConfirmedInThatEpoch() {
        SharedListSignal<String> onA = nodes.signals("a").list("cards", String.class);
        SharedListSignal<String> onB = nodes.signals("b").list("cards", String.class);
        onA.insertLast("one");
        nodes.deliver();
        nodes.engine.partition("a"); // a sleeps through the whole second epoch

        nodes.engine.lose();
        nodes.engine.back(false);
        nodes.deliver();
        assertThat(values(onB)).containsExactly("one");
        var inSecondEpoch = onB.insertLast("written in the second epoch");
        nodes.deliver();
        assertThat(confirmed(inSecondEpoch)).as("confirmed to its writer").isTrue();

        nodes.engine.lose();
        nodes.engine.back(false);
        nodes.engine.heal("a");
        nodes.engine.partition("b"); // b comes back a moment after a: "however late"
        nodes.deliver();
        nodes.engine.heal("b");
        nodes.deliver();

        assertThat(nodes.confirmed("a", "cards")).isEqualTo(nodes.confirmed("b", "cards"));
        assertThat(values(onB)).as("a write confirmed in the second epoch, every node back")
                .containsExactly("one", "written in the second epoch");
    }

    /**
     * The engine loses its data a second time while a node is still re-reading the first new log (before it
     * re-seeds): the node's former state survives. Failed before: the second loss took the emptied tree as the
     * former state.
     */
    @Test
    void twoLossesInARow_whileTheNodeStillRereads_keepItsFormerState() {
        SharedListSignal<String> onB = nodes.signals("b").list("cards", String.class);
        var write = onB.insertLast("x");
        nodes.deliver();
        assertThat(confirmed(write)).isTrue();

        nodes.engine.lose();
        nodes.engine.back(false);
        nodes.replica("b").step(); // b notices the new epoch and starts re-reading the new log
        nodes.engine.lose();
        nodes.engine.back(false);
        nodes.deliver();

        assertThat(values(onB)).as("b's state, the only one there was, after b came back both times")
                .containsExactly("x");
    }

    /**
     * The same, when the second loss comes after the node queued its re-seed but before it was appended. Failed
     * before: the queued re-seed went to the third log behind one made on the emptied tree, which beat it.
     */
    @Test
    void twoLossesInARow_whileTheReseedIsQueued_keepTheFormerState() {
        SharedListSignal<String> onB = nodes.signals("b").list("cards", String.class);
        var write = onB.insertLast("x");
        nodes.deliver();
        assertThat(confirmed(write)).isTrue();

        nodes.engine.lose();
        nodes.engine.back(false);
        nodes.replica("b").step(); // notices the new epoch
        nodes.replica("b").step(); // has read the new log up to its head: the re-seed is queued
        nodes.engine.lose();
        nodes.engine.back(false);
        nodes.deliver();

        assertThat(values(onB)).containsExactly("x");
    }

    /* --- a name loaded for the first time between the loss and the first re-seed --- */

    /**
     * A node that had read the former log furthest, but never held a name, asks for it just after the engine came
     * back empty and before it read the new epoch: the name keeps its holders' state. Failed before: the node loaded
     * the name empty from the new log at its former position, took that for a former state read further than
     * anyone's, and its re-seed wiped the name on every node.
     */
    @Test
    void aNameFirstAskedForRightAfterTheLoss_onANodeThatHadReadFurthest_doesNotReseedItEmpty() {
        SharedListSignal<String> onA = nodes.signals("a").list("cards", String.class);
        nodes.signals("b").list("cards", String.class);
        SharedValueSignal<String> otherOnC = nodes.signals("c").value("other", String.class);
        var one = onA.insertLast("one");
        nodes.deliver();
        assertThat(confirmed(one)).isTrue();
        nodes.engine.delayReader("a");
        nodes.engine.delayReader("b");
        otherOnC.set("c reads further than a and b"); // c has read position 2, a and b position 1
        nodes.deliver();

        nodes.engine.lose();
        nodes.engine.back(false);
        nodes.engine.releaseReader("a");
        nodes.engine.releaseReader("b");
        SharedListSignal<String> onC = nodes.signals("c").list("cards", String.class); // a page on c opens it now
        nodes.deliver();

        assertThat(nodes.confirmed("a", "cards")).isEqualTo(nodes.confirmed("c", "cards"));
        assertThat(values(onA)).as("a and b held 'one' and came back").containsExactly("one");
        assertThat(values(onC)).containsExactly("one");
    }

    /* --- a never-ending stream of writes --- */

    /**
     * The node that had read most comes back while another node writes to the name on every round: its re-seed lands
     * while the writes go on, since every node holds its writes to the name once the re-seed came stale. Failed
     * before: the re-seed was made again and again and landed only once the writes stopped.
     */
    @Test
    void aLateReseed_underAStreamOfWrites_landsWhileTheWritesGoOn() {
        SharedListSignal<String> onA = nodes.signals("a").list("cards", String.class);
        SharedListSignal<String> onB = nodes.signals("b").list("cards", String.class);
        onA.insertLast("one");
        nodes.deliver();
        nodes.engine.delayReader("a");
        onB.insertLast("best"); // b has read the most
        nodes.deliver();
        nodes.engine.partition("b"); // and comes back late
        nodes.engine.lose();
        nodes.engine.back(false);
        nodes.engine.releaseReader("a");
        nodes.deliver();
        assertThat(values(onA)).containsExactly("one");

        int writes = 300;
        AtomicInteger rounds = new AtomicInteger();
        AtomicInteger landedAt = new AtomicInteger(-1);
        nodes.engine.signalLog("ticker").onStep(() -> { // a writer on a that writes on every round
            int round = rounds.incrementAndGet();
            if (landedAt.get() < 0 && values(onA).contains("best")) {
                landedAt.set(round);
            }
            if (round > writes) {
                return false;
            }
            onA.insertLast("tick " + round);
            return true;
        });
        nodes.engine.heal("b");
        nodes.deliver();

        assertThat(values(onA)).as("in the end").contains("best", "one", "tick 1", "tick " + writes);
        assertThat(landedAt.get()).as("the round at which b's better state landed, of " + writes + " rounds of writes")
                .isBetween(0, writes);
    }

    /* --- snapshots and loads during the re-seed phase --- */

    /**
     * a snapshot written while the re-seeds race (a weaker re-seed and a write in, the best one still to come)
     * gives a node that loads the name from it, after the best re-seed landed, exactly the others' state.
     */
    @Test
    void aNodeLoadingFromASnapshotTakenMidRace_endsEqualToTheOthers_keyForKey() {
        SharedMapSignal<String> onA = nodes.signals("a").map("board", String.class);
        SharedMapSignal<String> onB = nodes.signals("b").map("board", String.class);
        onA.put("first", "1");
        nodes.deliver();
        nodes.engine.delayReader("a");
        onB.put("best", "2");
        nodes.deliver();
        nodes.engine.partition("b");
        nodes.engine.lose();
        nodes.engine.back(false);
        nodes.engine.releaseReader("a");
        nodes.deliver();
        onA.put("new", "3");
        nodes.deliver();
        CompletableFuture<Void> snapshotted = nodes.replica("a").snapshotNow();
        nodes.deliver();
        assertThat(snapshotted).isCompleted();

        nodes.engine.heal("b");
        nodes.deliver();
        SharedMapSignal<String> onD = nodes.signals("d").map("board", String.class);
        nodes.deliver();

        assertThat(onD.peekConfirmed()).containsOnlyKeys("first", "best", "new");
        assertThat(nodes.confirmed("d", "board").keySet()).isEqualTo(nodes.confirmed("a", "board").keySet());
        assertThat(nodes.confirmed("d", "board")).isEqualTo(nodes.confirmed("a", "board"))
                .isEqualTo(nodes.confirmed("b", "board"));
    }

    /**
     * a compaction that trims the new log while the best node is still away makes it give its better state up
     * (the documented limit), and every node, a new one loading from the snapshot included, still ends with one state.
     */
    @Test
    void aCompactionDuringTheReseedPhase_leavesEveryNodeWithOneState() {
        nodes.settings(settings -> settings.withRetainEntries(0));
        SharedListSignal<String> onA = nodes.signals("a").list("cards", String.class);
        SharedListSignal<String> onB = nodes.signals("b").list("cards", String.class);
        onA.insertLast("one");
        nodes.deliver();
        nodes.engine.delayReader("a");
        onB.insertLast("best");
        nodes.deliver();
        nodes.engine.partition("b");
        nodes.engine.lose();
        nodes.engine.back(false);
        nodes.engine.releaseReader("a");
        nodes.deliver();
        var onWeaker = onA.insertLast("on a's state");
        nodes.deliver();
        CompletableFuture<Void> compacted = nodes.replica("a").snapshotNow();
        nodes.deliver();
        assertThat(compacted).isCompleted();
        assertThat(nodes.engine.trimmed()).isPositive();

        nodes.engine.heal("b");
        nodes.deliver();
        nodes.signals("c").list("cards", String.class);
        nodes.deliver();

        assertThat(confirmed(onWeaker)).isTrue();
        assertThat(values(onB)).contains("on a's state");
        assertThat(nodes.confirmed("a", "cards")).isEqualTo(nodes.confirmed("b", "cards"))
                .isEqualTo(nodes.confirmed("c", "cards"));
    }

    /**
     * A node that has not read since the engine came back empty writes its periodic snapshot (of the former epoch,
     * at its former, higher position) into the new engine: a node that loads the name afterwards still ends with the
     * others' state. Failed before: the stale snapshot counted as none, and the loader took the entries left after a
     * trim for the whole state.
     */
    @Test
    void aSnapshotOfTheFormerEpoch_writtenByANodeThatHasNotNoticed_doesNotLeaveALaterLoaderWithPartOfTheState() {
        nodes.settings(settings -> settings.withRetainEntries(0));
        SharedListSignal<String> onA = nodes.signals("a").list("cards", String.class);
        nodes.signals("c").list("cards", String.class);
        nodes.deliver();
        for (int i = 0; i < 10; i++) {
            onA.insertLast("e1 " + i);
        }
        nodes.deliver();

        nodes.engine.lose();
        nodes.engine.back(false);
        CompletableFuture<Void> stale = nodes.replica("c").snapshotNow(); // c's periodic snapshot comes due before c reads the new epoch
        nodes.deliver();
        assertThat(stale).isDone(); // c stored its former state; its compaction saw the epoch change and trimmed nothing
        onA.insertLast("e2");
        nodes.deliver();
        CompletableFuture<Void> compacted = nodes.replica("a").snapshotNow();
        nodes.deliver();
        assertThat(compacted).isCompleted();

        SharedListSignal<String> onD = nodes.signals("d").list("cards", String.class);
        nodes.deliver();
        onA.insertLast("after");
        nodes.deliver();

        assertThat(values(onA)).hasSize(12);
        assertThat(values(onD)).as("a node loading the name after the compaction").isEqualTo(values(onA));
        assertThat(nodes.confirmed("d", "cards")).isEqualTo(nodes.confirmed("a", "cards"));
    }

    /* --- several names, several kinds --- */

    /**
     * re-seeds of several names at once, a map, a number and a list, each with a new-epoch write made on the
     * weaker state, all end with the best former state and the write on top, on every node.
     */
    @Test
    void reseedsOfSeveralNamesAtOnce_mapNumberAndList_endWithTheBestStateAndTheNewWritesOnTop() {
        SharedMapSignal<String> mapA = nodes.signals("a").map("m", String.class);
        SharedNumberSignal numA = nodes.signals("a").number("n");
        SharedListSignal<String> listA = nodes.signals("a").list("l", String.class);
        SharedMapSignal<String> mapB = nodes.signals("b").map("m", String.class);
        SharedNumberSignal numB = nodes.signals("b").number("n");
        SharedListSignal<String> listB = nodes.signals("b").list("l", String.class);
        mapA.put("k", "old");
        numA.set(10);
        listA.insertLast("first");
        nodes.deliver();
        nodes.engine.delayReader("a");
        mapB.put("k", "best");
        mapB.put("only in best", "x");
        numB.incrementBy(5);
        listB.insertLast("best");
        nodes.deliver();
        nodes.engine.partition("b");
        nodes.engine.lose();
        nodes.engine.back(false);
        nodes.engine.releaseReader("a");
        nodes.deliver();
        mapA.put("new", "y");
        numA.incrementBy(1);
        listA.insertLast("new");
        nodes.deliver();
        nodes.engine.heal("b");
        nodes.deliver();

        assertThat(mapA.peekConfirmed().keySet()).containsExactlyInAnyOrder("k", "only in best", "new");
        assertThat(mapA.peekConfirmed().get("k").peekConfirmed()).isEqualTo("best");
        assertThat(numA.peekConfirmed()).isEqualTo(16.0);
        assertThat(values(listA)).containsExactly("first", "best", "new");
        for (String name : List.of("m", "n", "l")) {
            assertThat(nodes.confirmed("a", name)).as(name).isEqualTo(nodes.confirmed("b", name));
        }
    }

    /**
     * the best node comes back late, and writes itself as soon as it is back, before it has re-read the new
     * log: its re-seed goes first, its write on top, the weaker node's write kept, every node alike, and its write
     * completes.
     */
    @Test
    void aLateBestNodeThatWritesAsItComesBack_endsWithItsStateTheOthersWritesAndItsOwn() {
        SharedListSignal<String> onA = nodes.signals("a").list("cards", String.class);
        SharedListSignal<String> onB = nodes.signals("b").list("cards", String.class);
        onA.insertLast("one");
        nodes.deliver();
        nodes.engine.delayReader("a");
        onB.insertLast("best");
        nodes.deliver();
        nodes.engine.partition("b");
        nodes.engine.lose();
        nodes.engine.back(false);
        nodes.engine.releaseReader("a");
        nodes.deliver();
        var fromA = onA.insertLast("from a");
        nodes.deliver();

        nodes.engine.heal("b");
        nodes.replica("b").step(); // b reads again (the engine answers, writes are taken)
        List<SignalOperation<?>> fromB = new ArrayList<>();
        fromB.add(onB.insertLast("from b, on its way back"));
        nodes.deliver();
        fromB.add(onB.insertLast("from b, back"));
        nodes.deliver();

        assertThat(confirmed(fromA)).isTrue();
        assertThat(fromB).allMatch(SignalReseedRacesTest::confirmed);
        assertThat(values(onA)).containsExactly("one", "best", "from a", "from b, on its way back", "from b, back");
        assertThat(nodes.confirmed("a", "cards")).isEqualTo(nodes.confirmed("b", "cards"));
    }

    /* --- kill and restart --- */

    /**
     * a node whose re-seed is queued (made, not appended) is killed; every operation it had completes, and the
     * others keep one state (its former state is lost with it: the documented limit of a node that does not come
     * back with it).
     */
    @Test
    void aNodeKilledWithAQueuedReseed_completesItsOperations_andTheOthersAgree() {
        SharedListSignal<String> onA = nodes.signals("a").list("cards", String.class);
        SharedListSignal<String> onB = nodes.signals("b").list("cards", String.class);
        nodes.signals("c").list("cards", String.class);
        onA.insertLast("one");
        nodes.deliver();
        nodes.engine.delayReader("a");
        nodes.engine.delayReader("c");
        onB.insertLast("best");
        nodes.deliver();
        nodes.engine.partition("b");
        nodes.engine.lose();
        nodes.engine.back(false);
        nodes.engine.releaseReader("a");
        nodes.engine.releaseReader("c");
        nodes.deliver();
        nodes.engine.heal("b");
        nodes.replica("b").step();
        nodes.replica("b").step(); // its re-seed is queued
        var pending = onB.insertLast("queued behind the re-seed");
        nodes.kill("b");
        nodes.deliver();

        assertThat(pending.result()).isDone();
        assertThat(nodes.confirmed("a", "cards")).isEqualTo(nodes.confirmed("c", "cards"));
        SharedListSignal<String> again = nodes.signals("b").list("cards", String.class);
        nodes.deliver();
        assertThat(values(again)).isEqualTo(values(onA));
    }
}
