package org.carotspark.bounds;

import java.util.Locale;

/** The four model variants of the paper's Table 1. */
public enum Variant {
    PLAIN("plain", false, false),
    SV("+SV reg (L_OC)", true, false),
    SD("+calib reg (L_SD)", false, true),
    BOTH("both (CaRot)", true, true);

    private final String label;
    private final boolean usesOc;
    private final boolean usesSd;

    Variant(String label, boolean usesOc, boolean usesSd) {
        this.label = label;
        this.usesOc = usesOc;
        this.usesSd = usesSd;
    }

    public String label() {
        return label;
    }

    public boolean usesOc() {
        return usesOc;
    }

    public boolean usesSd() {
        return usesSd;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
