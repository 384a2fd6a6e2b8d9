package dev.flowpubsub.chat;

import dev.flowpubsub.testsupport.Browsers;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The pictures in the README, drawn by the browser tests from what the browsers show. They go to
 * {@code chat/target/screenshots/}; with {@code -Dflowpubsub.docs.screenshots=true} they also replace the ones in
 * {@code docs/}, which an ordinary build never rewrites (a screenshot differs by a few pixels every run).
 */
final class Screenshots {

    private Screenshots() {
    }

    /**
     * Puts the browsers' PNGs in a row, on a grey strip that separates them, into
     * {@code target/screenshots/<fileName>} (and {@code docs/<fileName>} when asked); returns the first.
     */
    static Path sideBySideInDocs(String fileName, List<byte[]> pngs) throws IOException {
        List<BufferedImage> shots = new ArrayList<>();
        for (byte[] png : pngs) {
            shots.add(ImageIO.read(new ByteArrayInputStream(png)));
        }
        BufferedImage row = sideBySide(shots);
        Path file = Browsers.moduleDirectory(Screenshots.class).resolve("target").resolve("screenshots").resolve(fileName);
        Files.createDirectories(file.getParent());
        ImageIO.write(row, "png", file.toFile());
        if (Boolean.getBoolean("flowpubsub.docs.screenshots")) {
            Path docs = Browsers.moduleDirectory(Screenshots.class).getParent().resolve("docs").resolve(fileName);
            ImageIO.write(row, "png", docs.toFile());
        }
        return file;
    }

    private static BufferedImage sideBySide(List<BufferedImage> shots) {
        int gap = 16;
        int width = gap + shots.stream().mapToInt(shot -> shot.getWidth() + gap).sum();
        int height = 2 * gap + shots.stream().mapToInt(BufferedImage::getHeight).max().orElse(0);
        BufferedImage row = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = row.createGraphics();
        try {
            graphics.setColor(new Color(0xE8, 0xEB, 0xEF));
            graphics.fillRect(0, 0, width, height);
            int x = gap;
            for (BufferedImage shot : shots) {
                graphics.drawImage(shot, x, gap, null);
                x += shot.getWidth() + gap;
            }
        } finally {
            graphics.dispose();
        }
        return row;
    }
}
