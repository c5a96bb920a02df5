package dev.nuvola.events;

/** A record that does not satisfy the contract. The message names the offending field. */
public class InvalidEventException extends RuntimeException {
    private final String field;
    private final String reason;

    public InvalidEventException(String field, String message) {
        super(field == null ? message : field + ": " + message);
        this.field = field;
        this.reason = message;
    }

    public InvalidEventException(String field, String message, Throwable cause) {
        super(field == null ? message : field + ": " + message, cause);
        this.field = field;
        this.reason = message;
    }

    /** The message without the field name. */
    public String reason() {
        return reason;
    }

    /** The field at fault (a dotted path for nested fields), or null when the whole record is. */
    public String field() {
        return field;
    }
}
