package dev.stator.console;

import dev.stator.runtime.Workstation;
import javafx.animation.PauseTransition;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The JavaFX application around {@link MainWindow}. Start it with {@link #run(Workstation)}; closing the window
 * stops the workstation (off the FX thread) and then JavaFX.
 */
public final class ConsoleApplication extends Application {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleApplication.class);
    private static final AtomicReference<Workstation> WORKSTATION = new AtomicReference<>();
    private static final AtomicReference<Duration> AUTO_CLOSE = new AtomicReference<>();

    private MainWindow window;

    /**
     * Shows the console for a running workstation and returns when the window has been closed and the workstation
     * stopped. Call from the main thread.
     *
     * @param autoClose close the window by itself after this long, or {@code null} to wait for the operator
     */
    public static void run(Workstation workstation, Duration autoClose) {
        WORKSTATION.set(Objects.requireNonNull(workstation));
        AUTO_CLOSE.set(autoClose);
        Application.launch(ConsoleApplication.class);
    }

    @Override
    public void start(Stage stage) {
        Workstation workstation = WORKSTATION.get();
        window = new MainWindow(workstation, Platform::runLater);
        Scene scene = window.createScene(1400, 860);
        stage.setTitle(workstation.project().name() + " — Stator");
        stage.setScene(scene);
        stage.setOnCloseRequest(e -> {
            e.consume();
            stage.setTitle(workstation.project().name() + " — Stator (stopping…)");
            window.root().setDisable(true);
            window.stop();
            // Closing flushes the history and waits for drivers: never on the FX thread.
            Thread stopper = new Thread(() -> {
                try {
                    workstation.close();
                } catch (RuntimeException ex) {
                    LOG.error("the workstation did not stop cleanly", ex);
                }
                Platform.exit();
            }, "stator-shutdown");
            stopper.start();
        });
        stage.show();
        window.start();
        Runnable close = () -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST));
        String screenshots = System.getProperty("stator.screenshots");
        if (screenshots != null) {
            ScreenshotTour.start(window, scene, Path.of(screenshots), window.viewNames(), close);
        }
        Duration autoClose = AUTO_CLOSE.get();
        if (autoClose != null) {
            PauseTransition pause = new PauseTransition(javafx.util.Duration.millis(autoClose.toMillis()));
            pause.setOnFinished(e -> close.run());
            pause.play();
        }
    }
}
