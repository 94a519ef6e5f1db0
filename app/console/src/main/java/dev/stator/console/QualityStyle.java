package dev.stator.console;

import dev.stator.driver.api.Quality;
import javafx.css.PseudoClass;
import javafx.scene.Node;

/**
 * How quality shows on screen, the same everywhere: Good is not marked at all (in a high-performance HMI colour is for
 * what is abnormal); Uncertain and Bad are marked with a pseudo-class the style sheet draws.
 */
public final class QualityStyle {

    public static final PseudoClass BAD = PseudoClass.getPseudoClass("bad");
    public static final PseudoClass UNCERTAIN = PseudoClass.getPseudoClass("uncertain");

    private QualityStyle() {
    }

    /** Sets the node's quality pseudo-classes for {@code q} ({@code null} clears them). FX thread. */
    public static void apply(Node node, Quality q) {
        node.pseudoClassStateChanged(BAD, q != null && q.isBad());
        node.pseudoClassStateChanged(UNCERTAIN, q != null && q.isUncertain());
    }
}
