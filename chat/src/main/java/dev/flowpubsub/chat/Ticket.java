package dev.flowpubsub.chat;

import java.time.LocalDate;

/**
 * A support ticket of the shared-form page ({@link TicketView}): a JavaBean, as Vaadin's {@code Binder} binds by
 * property name. Saved copies live in {@link Tickets}.
 */
public class Ticket {

    /** Where a ticket stands. */
    public enum Status { OPEN, IN_PROGRESS, WAITING, DONE }

    private String title = "";
    private String description = "";
    private Double estimate;
    private LocalDate due;
    private Status status = Status.OPEN;
    private boolean urgent;

    public String getTitle() {
        return title;
    }

    public void setTitle(String title) {
        this.title = title;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public Double getEstimate() {
        return estimate;
    }

    public void setEstimate(Double estimate) {
        this.estimate = estimate;
    }

    public LocalDate getDue() {
        return due;
    }

    public void setDue(LocalDate due) {
        this.due = due;
    }

    public Status getStatus() {
        return status;
    }

    public void setStatus(Status status) {
        this.status = status;
    }

    public boolean isUrgent() {
        return urgent;
    }

    public void setUrgent(boolean urgent) {
        this.urgent = urgent;
    }

    /** A copy, so that a page edits its own and saving replaces the stored one. */
    Ticket copy() {
        Ticket copy = new Ticket();
        copy.title = title;
        copy.description = description;
        copy.estimate = estimate;
        copy.due = due;
        copy.status = status;
        copy.urgent = urgent;
        return copy;
    }
}
