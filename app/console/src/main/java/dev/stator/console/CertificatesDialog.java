package dev.stator.console;

import dev.stator.driver.api.CertificateInfo;
import dev.stator.driver.api.CertificateTrust;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Server certificates of secure connections (OPC UA): the ones refused because nobody trusted them yet, with what an
 * engineer checks before trusting one (thumbprint, subject, issuer, validity), and the ones trusted. Trusting takes
 * effect at the next connection attempt. Files are read and written on {@code io}, never on the FX thread.
 */
final class CertificatesDialog extends Dialog<Void> {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    /** One certificate in one store, and whether it is refused or trusted. */
    record Row(CertificateTrust store, CertificateInfo info, boolean refused) {
    }

    private final List<CertificateTrust> stores;
    private final Executor io;
    private final TableView<Row> table = new TableView<>();
    private final Label status = new Label();
    private final Button trust = new Button("Trust selected");

    CertificatesDialog(Window owner, List<CertificateTrust> stores, Executor io) {
        this.stores = stores;
        this.io = io;
        initOwner(owner);
        setTitle("Server certificates");
        setResizable(true);
        table.setId("certificateTable");
        table.setPrefSize(980, 300);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No server certificates yet"));
        table.getColumns().add(column("State", 90, r -> r.refused() ? "Refused" : "Trusted"));
        table.getColumns().add(column("Protocol", 70, r -> r.store().protocol()));
        table.getColumns().add(column("Subject", 240, r -> r.info().subject()));
        table.getColumns().add(column("Thumbprint (SHA-1)", 300, r -> r.info().thumbprint()));
        table.getColumns().add(column("Valid", 170, r -> DATE.format(r.info().notBefore()) + " to "
                + DATE.format(r.info().notAfter()) + (r.info().isValidAt(Instant.now()) ? "" : " ✕ expired")));
        table.getColumns().add(column("Issuer", 200, r -> r.info().issuer()));
        trust.setId("trustCertificate");
        trust.setDisable(true);
        table.getSelectionModel().selectedItemProperty().addListener((o, was, now) ->
                trust.setDisable(now == null || !now.refused()));
        trust.setOnAction(e -> trustSelected());
        Label hint = new Label("Trust a server certificate only after checking its thumbprint with the server's "
                + "administrator: it lets this workstation exchange data with that server.");
        hint.setWrapText(true);
        status.setId("certificateStatus");
        VBox box = new VBox(8, hint, table, new HBox(12, trust, status));
        box.setPadding(new Insets(12));
        getDialogPane().setContent(box);
        getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        refresh(null);
    }

    private static TableColumn<Row, String> column(String title, double width, Function<Row, String> text) {
        TableColumn<Row, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(text.apply(cell.getValue())));
        return c;
    }

    /** Reloads the lists off the FX thread; {@code message}, when given, says what just happened. */
    private void refresh(String message) {
        io.execute(() -> {
            List<Row> rows = new ArrayList<>();
            String problem = null;
            for (CertificateTrust s : stores) {
                try {
                    s.rejected().forEach(c -> rows.add(new Row(s, c, true)));
                    s.trusted().forEach(c -> rows.add(new Row(s, c, false)));
                } catch (IOException e) {
                    problem = e.getMessage();
                }
            }
            String p = problem;
            Platform.runLater(() -> {
                table.setItems(FXCollections.observableArrayList(rows));
                long refused = rows.stream().filter(Row::refused).count();
                status.setText(p != null ? "✕ " + p : message != null ? message : refused == 0
                        ? "No refused certificate"
                        : refused + (refused == 1 ? " certificate waits" : " certificates wait") + " for a decision");
            });
        });
    }

    private void trustSelected() {
        Row row = table.getSelectionModel().getSelectedItem();
        if (row == null || !row.refused()) {
            return;
        }
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, "Trust the " + row.store().protocol()
                + " server certificate\n\n" + row.info().subject() + "\nthumbprint " + row.info().thumbprint()
                + "\nissued by " + row.info().issuer() + "\nvalid " + DATE.format(row.info().notBefore()) + " to "
                + DATE.format(row.info().notAfter()) + "?", ButtonType.CANCEL, ButtonType.OK);
        confirm.initOwner(getOwner());
        confirm.setHeaderText("Trust this server?");
        confirm.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> io.execute(() -> {
            String message;
            try {
                CertificateInfo trusted = row.store().trust(row.info().thumbprint());
                message = "Trusted " + trusted.subject() + ": the next connection attempt uses it";
            } catch (IOException e) {
                message = "✕ " + e.getMessage();
            }
            refresh(message);
        }));
    }
}
