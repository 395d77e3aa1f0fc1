package io.streamcontrol.job.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PackedDecimalTest {

    /** 2^59 - 1: the largest unscaled value that packs. */
    static final BigInteger MAX_UNSCALED = BigInteger.ONE.shiftLeft(59).subtract(BigInteger.ONE);

    @ParameterizedTest
    @ValueSource(strings = {"0", "0.00", "12.5", "12.50", "-3.25", "7", "0.00000000000001", "99999999999999.99",
        "576460752303423487", "-576460752303423488", "5764.60752303423487"})
    void aValueThatPacksComesBackEqualWithItsScale(String value) {
        BigDecimal decimal = new BigDecimal(value);
        long packed = PackedDecimal.pack(decimal);
        assertThat(packed).isNotEqualTo(PackedDecimal.NONE);
        assertThat(PackedDecimal.toBigDecimal(packed)).isEqualTo(decimal).hasScaleOf(decimal.scale());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1E+3", "0.000000000000001", "576460752303423488", "-576460752303423489",
        "123456789012345678901234567890.12"})
    void aScaleOutsideZeroToFourteenOrMoreThan59BitsDoesNotPack(String value) {
        assertThat(PackedDecimal.pack(new BigDecimal(value))).isEqualTo(PackedDecimal.NONE);
    }

    @Test
    void sumsAndComparisonsAreThoseOfBigDecimal() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            BigDecimal a = randomDecimal(random);
            BigDecimal b = randomDecimal(random);
            long packedA = PackedDecimal.pack(a);
            long packedB = PackedDecimal.pack(b);
            assertThat(PackedDecimal.compare(packedA, packedB)).as("%s vs %s", a, b)
                    .isEqualTo(a.compareTo(b));
            long sum = PackedDecimal.add(packedA, packedB);
            BigDecimal expected = a.add(b);
            if (sum == PackedDecimal.NONE) {
                assertThat(PackedDecimal.pack(expected)).as("%s + %s packs", a, b).isEqualTo(PackedDecimal.NONE);
            } else {
                assertThat(PackedDecimal.toBigDecimal(sum)).as("%s + %s", a, b).isEqualTo(expected);
            }
        }
    }

    @Test
    void aSumBeyond59BitsDoesNotPack() {
        long max = PackedDecimal.pack(new BigDecimal(MAX_UNSCALED));
        assertThat(PackedDecimal.add(max, PackedDecimal.pack(BigDecimal.ONE))).isEqualTo(PackedDecimal.NONE);
        assertThat(PackedDecimal.add(max, PackedDecimal.pack(new BigDecimal("0.1")))).as("rescaled: overflows a long")
                .isEqualTo(PackedDecimal.NONE);
        assertThat(PackedDecimal.add(max, PackedDecimal.pack(new BigDecimal("-1"))))
                .isEqualTo(PackedDecimal.pack(new BigDecimal(MAX_UNSCALED.subtract(BigInteger.ONE))));
    }

    @Test
    void valuesWhoseRescalingOverflowsCompareAsBigDecimals() {
        BigDecimal big = new BigDecimal(MAX_UNSCALED);
        BigDecimal small = new BigDecimal("0.00000000000001");
        assertThat(PackedDecimal.compare(PackedDecimal.pack(big), PackedDecimal.pack(small))).isPositive();
        assertThat(PackedDecimal.compare(PackedDecimal.pack(small), PackedDecimal.pack(big))).isNegative();
        assertThat(PackedDecimal.compare(PackedDecimal.pack(new BigDecimal("1.50")),
                PackedDecimal.pack(new BigDecimal("1.5")))).isZero();
    }

    /** Scales 0 to 14 and unscaled values up to 59 bits, mostly small and of few scales so that sums tie often. */
    static BigDecimal randomDecimal(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> BigDecimal.valueOf(random.nextInt(2_000) - 1_000, random.nextInt(3));
            case 1 -> BigDecimal.valueOf(random.nextLong() >> 5, random.nextInt(15));
            case 2 -> BigDecimal.valueOf(random.nextLong() >> 30, random.nextInt(15));
            default -> BigDecimal.valueOf(random.nextInt(100), 2);
        };
    }
}
