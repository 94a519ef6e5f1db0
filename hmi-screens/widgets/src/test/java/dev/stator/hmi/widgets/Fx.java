package dev.stator.hmi.widgets;

import dev.stator.driver.api.Quality;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.scene.shape.Shape;
import javafx.scene.text.Text;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Test helpers: run on the FX thread and wait, settle a scene as the next pulse would, and read what a widget shows.
 * Every reader must be called on the FX thread (inside {@link #get}).
 */
final class Fx {

    static final Color BAD = Color.web("#a4009c");
    static final Color UNCERTAIN = Color.web("#8a6a00");
    static final Quality GOOD = Quality.GOOD;

    private Fx() {
    }

    /** Runs {@code c} on the FX thread and returns its result. */
    static <T> T get(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code change} on the FX thread, then applies CSS and lays out the scene of {@code node}, which is what the
     * next pulse does; a skin that missed the change still shows the old drawing afterwards.
     */
    static void change(Node node, Runnable change) {
        get(() -> {
            change.run();
            settle(node);
            return null;
        });
    }

    static void settle(Node node) {
        Scene scene = node.getScene();
        Parent root = scene.getRoot();
        root.applyCss();
        root.layout();
    }

    static <T extends Node> T part(Node widget, String selector, Class<T> type) {
        Node n = widget.lookup(selector);
        if (n == null) {
            throw new AssertionError("no " + selector + " in " + widget);
        }
        return type.cast(n);
    }

    static String text(Node widget, String selector) {
        return part(widget, selector, Text.class).getText();
    }

    /** True when the node and all its parents up to the widget are visible: what an operator could see. */
    static boolean shown(Node widget, String selector) {
        Node n = widget.lookup(selector);
        for (Node p = n; p != null; p = p.getParent()) {
            if (!p.isVisible()) {
                return false;
            }
            if (p == widget) {
                return true;
            }
        }
        return n != null;
    }

    /** The quality marker as an operator sees it: "?", "x" or "" (none). */
    static String marker(Node widget) {
        if (!shown(widget, ".quality-marker")) {
            return "";
        }
        boolean question = shown(widget, ".marker-text");
        boolean cross = shown(widget, ".marker-cross");
        if (question == cross) {
            throw new AssertionError("the marker shows " + (question ? "both" : "neither") + " signs");
        }
        return question ? text(widget, ".marker-text") : "x";
    }

    /** The quality outline's colour, or null when there is none. */
    static Paint frame(Node widget) {
        return shown(widget, ".quality-frame") ? part(widget, ".quality-frame", Shape.class).getStroke() : null;
    }

    static Paint fill(Node widget, String selector) {
        Node n = widget.lookup(selector);
        return n instanceof Text t ? t.getFill() : ((Shape) n).getFill();
    }

    static boolean pseudo(Node widget, String pseudoClass) {
        return widget.getPseudoClassStates().stream().anyMatch(pc -> pc.getPseudoClassName().equals(pseudoClass));
    }
}
