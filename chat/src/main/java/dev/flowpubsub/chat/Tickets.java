package dev.flowpubsub.chat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo's ticket store: three tickets, in this server's memory (each server has its own, so what one saves the
 * others do not load). A real application keeps them in its database;
 * saving stays the application's job ({@link TicketView}'s Save button), the shared form only shares what people type
 * until then.
 *
 * <p>Thread-safe: a concurrent map of copies.
 */
final class Tickets {

    static final List<String> IDS = List.of("1", "2", "3");

    private static final Map<String, Ticket> SAVED = new ConcurrentHashMap<>();

    private Tickets() {
    }

    /** A copy of the ticket as last saved. */
    static Ticket load(String id) {
        return SAVED.computeIfAbsent(id, Tickets::initial).copy();
    }

    static void save(String id, Ticket ticket) {
        SAVED.put(id, ticket.copy());
    }

    private static Ticket initial(String id) {
        Ticket ticket = new Ticket();
        ticket.setTitle(switch (id) {
            case "1" -> "The printer on floor 2 is on fire";
            case "2" -> "Add dark mode to the chat";
            default -> "Order more coffee";
        });
        ticket.setEstimate(2.0);
        ticket.setDue(LocalDate.of(2026, 12, 24));
        return ticket;
    }
}
