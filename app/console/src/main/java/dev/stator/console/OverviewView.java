package dev.stator.console;

import dev.stator.runtime.TagState;
import dev.stator.runtime.TagTable;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The overview: every tag of the project as a high-performance HMI indicator, grouped by equipment (the part of the
 * tag name before the first dot: {@code P-101.CURRENT} belongs to P-101), so an operator reads the state of the plant
 * at a glance, with quality marked on each indicator. FX thread only; fed by {@link UiThrottle}.
 */
public final class OverviewView extends VBox {

    private final Map<TagState, WidgetBinding> bindings = new HashMap<>();

    public OverviewView(TagTable tags) {
        getStyleClass().addAll("view", "overview");
        Label title = new Label("Overview");
        title.getStyleClass().add("view-title");
        VBox.setMargin(title, new Insets(0, 0, 8, 0));

        Map<String, VBox> groups = new LinkedHashMap<>();
        VBox measurements = null;
        for (TagState t : tags.all()) {
            WidgetBinding b = WidgetBinding.of(t);
            if (b == null) {
                continue;
            }
            bindings.put(t, b);
            String name = t.name();
            int dot = name.indexOf('.');
            VBox group;
            if (dot > 0) {
                group = groups.computeIfAbsent(name.substring(0, dot), OverviewView::group);
            } else {
                if (measurements == null) {
                    measurements = group("Measurements");
                    groups.put("", measurements);
                }
                group = measurements;
            }
            b.widget().setId("widget-" + name.replaceAll("[^A-Za-z0-9_-]", "_"));
            group.getChildren().add(b.widget());
        }
        FlowPane flow = new FlowPane(12, 12);
        flow.setRowValignment(javafx.geometry.VPos.TOP);
        flow.getStyleClass().add("overview-groups");
        flow.getChildren().addAll(groups.values());
        ScrollPane scroll = new ScrollPane(flow);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("overview-scroll");
        VBox.setVgrow(scroll, javafx.scene.layout.Priority.ALWAYS);
        getChildren().addAll(title, scroll);
    }

    private static VBox group(String name) {
        Label header = new Label(name);
        header.getStyleClass().add("group-title");
        VBox box = new VBox(6, header);
        box.getStyleClass().add("overview-group");
        box.setPadding(new Insets(8));
        box.setPrefWidth(300);
        box.setMaxHeight(Region.USE_PREF_SIZE);
        return box;
    }

    /** Applies the tags that changed; FX thread. */
    public void update(List<TagState> changed) {
        for (TagState t : changed) {
            WidgetBinding b = bindings.get(t);
            if (b != null) {
                b.refresh();
            }
        }
    }
}
