package io.streamcontrol.job.rollup;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A decimal in one long, exactly: its unscaled value shifted left by four bits and its scale (0 to 14) in the low four.
 * Sale amounts on the wire have any scale ({@code 12.5}, {@code 12.50}, {@code 1E+3}) and sums keep the largest scale
 * of their terms, as {@link BigDecimal#add} does, so the scale is kept with each value. Values that do not fit (a scale
 * outside 0..14, an unscaled value beyond 59 bits and sign) do not pack: {@link #pack} and the arithmetic give
 * {@link #NONE}, and the caller keeps that value as a {@link BigDecimal}.
 */
final class PackedDecimal {

    /** Not a value: what does not pack, and an absent entry. (Its scale bits, 15, are no scale a value packs with.) */
    static final long NONE = Long.MIN_VALUE | 0xF;

    private static final int SCALE_BITS = 4;
    private static final long SCALE_MASK = (1L << SCALE_BITS) - 1;
    private static final int MAX_SCALE = 14;
    private static final int UNSCALED_BITS = Long.SIZE - SCALE_BITS - 1;
    private static final long MAX_UNSCALED = (1L << UNSCALED_BITS) - 1;
    private static final long MIN_UNSCALED = -(1L << UNSCALED_BITS);
    private static final long[] POWERS_OF_TEN = new long[MAX_SCALE + 1];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    private PackedDecimal() {
    }

    /** {@code value} packed, or {@link #NONE} if it does not fit. */
    static long pack(BigDecimal value) {
        int scale = value.scale();
        if (scale < 0 || scale > MAX_SCALE) {
            return NONE;
        }
        BigInteger unscaled = value.unscaledValue();
        return unscaled.bitLength() > UNSCALED_BITS ? NONE : pack(unscaled.longValue(), scale);
    }

    /** The value, equal to the one packed (same unscaled value and scale). */
    static BigDecimal toBigDecimal(long packed) {
        return BigDecimal.valueOf(unscaled(packed), scale(packed));
    }

    /** {@code a + b} with the larger scale of the two, as {@link BigDecimal#add}; {@link #NONE} if it does not fit. */
    static long add(long a, long b) {
        int scale = Math.max(scale(a), scale(b));
        long sum;
        try {
            sum = Math.addExact(rescaled(a, scale), rescaled(b, scale));
        } catch (ArithmeticException overflow) {
            return NONE;
        }
        return sum < MIN_UNSCALED || sum > MAX_UNSCALED ? NONE : pack(sum, scale);
    }

    /** Compares the values as {@link BigDecimal#compareTo} does (scale aside). */
    static int compare(long a, long b) {
        int scaleA = scale(a);
        int scaleB = scale(b);
        if (scaleA == scaleB) {
            return Long.compare(unscaled(a), unscaled(b));
        }
        int scale = Math.max(scaleA, scaleB);
        try {
            return Long.compare(rescaled(a, scale), rescaled(b, scale));
        } catch (ArithmeticException overflow) {
            return toBigDecimal(a).compareTo(toBigDecimal(b));
        }
    }

    private static long pack(long unscaled, int scale) {
        return unscaled << SCALE_BITS | scale;
    }

    private static long unscaled(long packed) {
        return packed >> SCALE_BITS;
    }

    private static int scale(long packed) {
        return (int) (packed & SCALE_MASK);
    }

    /** The unscaled value at a scale at least the value's own. */
    private static long rescaled(long packed, int scale) {
        return Math.multiplyExact(unscaled(packed), POWERS_OF_TEN[scale - scale(packed)]);
    }
}
