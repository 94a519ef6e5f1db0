package dev.stator.historian;

import java.time.Instant;

/** Instants as microseconds since 1970-01-01T00:00Z, the unit samples are stored in. */
final class Micros {

    private static final long PER_SECOND = 1_000_000L;

    private Micros() {
    }

    /**
     * {@code time} truncated to the microsecond.
     *
     * @throws ArithmeticException beyond about ±292,000 years from 1970
     */
    static long of(Instant time) {
        return Math.addExact(Math.multiplyExact(time.getEpochSecond(), PER_SECOND), time.getNano() / 1_000);
    }

    /**
     * The first whole microsecond at or after {@code time}, saturated at the ends of {@code long}: a query bound.
     * Rounding up keeps both ends right: a stored sample (a whole microsecond) is at or after {@code time} exactly
     * when it is at or after this value.
     */
    static long ceil(Instant time) {
        try {
            long micros = of(time);
            return time.getNano() % 1_000 == 0 ? micros : Math.addExact(micros, 1);
        } catch (ArithmeticException e) {
            return time.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, PER_SECOND), Math.floorMod(micros, PER_SECOND) * 1_000);
    }
}
