package dev.stator.console;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.scene.Scene;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.util.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Saves each view of the console as a PNG, for the documentation: waits for live values, shows each view in turn,
 * snapshots the scene and finally runs {@code done}. Enabled by the system property {@code stator.screenshots}
 * (the output folder). FX thread only.
 */
final class ScreenshotTour {

    private static final Logger LOG = LoggerFactory.getLogger(ScreenshotTour.class);
    private static final double SETTLE_SECONDS = 8;

    private ScreenshotTour() {
    }

    static void start(MainWindow window, Scene scene, Path folder, List<String> views, Runnable done) {
        Timeline tour = new Timeline();
        double t = SETTLE_SECONDS;
        for (String view : views) {
            tour.getKeyFrames().add(new KeyFrame(Duration.seconds(t), e -> window.show(view)));
            // Two pulses of the UI throttle later, the view shows current values.
            tour.getKeyFrames().add(new KeyFrame(Duration.seconds(t + 1.5), e -> save(scene, folder.resolve(
                    "console-" + view.toLowerCase(Locale.ROOT) + ".png"))));
            t += 2;
        }
        tour.getKeyFrames().add(new KeyFrame(Duration.seconds(t), e -> done.run()));
        tour.play();
    }

    private static void save(Scene scene, Path file) {
        WritableImage image = scene.snapshot(null);
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        PixelReader pixels = image.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, pixels.getArgb(x, y));
            }
        }
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(out, "png", file.toFile());
            LOG.info("screenshot saved: {}", file);
        } catch (IOException e) {
            LOG.error("cannot save screenshot {}: {}", file, e.getMessage());
        }
    }
}
