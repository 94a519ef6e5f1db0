package dev.stator.hmi.widgets;

import dev.stator.driver.api.Quality;

/**
 * How a widget marks the quality of its value: nothing for Good, a dark amber dashed outline and "?" for Uncertain,
 * a magenta outline and a cross for Bad and for no value yet.
 */
enum QualityLook {
    GOOD,
    UNCERTAIN,
    BAD;

    static QualityLook of(Quality quality) {
        if (quality == null || quality.isBad()) {
            return BAD;
        }
        return quality.isUncertain() ? UNCERTAIN : GOOD;
    }
}
