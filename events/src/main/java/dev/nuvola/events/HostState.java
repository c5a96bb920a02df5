package dev.nuvola.events;

/** ACTIVE hosts take new guests; DRAINING ones are being emptied; DOWN ones are unreachable. */
public enum HostState {
    ACTIVE, DRAINING, DOWN
}
