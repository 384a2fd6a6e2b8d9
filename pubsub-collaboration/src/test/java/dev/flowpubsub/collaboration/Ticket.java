package dev.flowpubsub.collaboration;

import java.time.LocalDate;

/** The bean of the shared-form tests: a JavaBean, as Binder binds by property name. */
public class Ticket {

    /** A ticket's state, shown in a combo box. */
    public enum Status { OPEN, IN_PROGRESS, DONE }

    private String title = "";
    private Double estimate;
    private LocalDate due;
    private Status status = Status.OPEN;
    private boolean urgent;

    public Ticket() {
    }

    Ticket(String title, Double estimate, LocalDate due, Status status, boolean urgent) {
        this.title = title;
        this.estimate = estimate;
        this.due = due;
        this.status = status;
        this.urgent = urgent;
    }

    public String getTitle() {
        return title;
    }

    public void setTitle(String title) {
        this.title = title;
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
}
