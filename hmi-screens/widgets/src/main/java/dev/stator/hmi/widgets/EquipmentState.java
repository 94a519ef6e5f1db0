package dev.stator.hmi.widgets;

/** The state of a motor-driven piece of equipment (a pump, a fan), as its symbol shows it. */
public enum EquipmentState {
    /** Running: the symbol is filled dark grey. */
    RUNNING,
    /** Stopped: the symbol is hollow, outline only. */
    STOPPED,
    /** Commanded to run, not yet confirmed: the lower half is filled. */
    STARTING,
    /** Commanded to stop, not yet confirmed: the upper half is filled. */
    STOPPING,
    /** Stopped by a protection: hollow with a small alarm box marked "T". */
    TRIPPED,
    /** Not known (contradictory feedback, or the quality is Bad): a magenta outline with "?". */
    UNKNOWN
}
