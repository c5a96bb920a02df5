package dev.nuvola.agent.migration;

/** What one migration step did on this host: succeeded, or failed with a code the saga and operators act on. */
public record StepOutcome(boolean succeeded, String code, String message) {

    public static StepOutcome done(String message) {
        return new StepOutcome(true, null, message);
    }

    public static StepOutcome failed(String code, String message) {
        return new StepOutcome(false, code, message);
    }

    /** The text carried in the step's event: the code first, so that it can be matched on. */
    public String reason() {
        return code == null ? message : code + ": " + message;
    }
}
