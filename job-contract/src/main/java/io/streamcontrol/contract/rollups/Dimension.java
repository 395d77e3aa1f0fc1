package io.streamcontrol.contract.rollups;

/** The event attributes rollups can be keyed by. */
public enum Dimension {
    PRODUCT, REGION, STATE;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
