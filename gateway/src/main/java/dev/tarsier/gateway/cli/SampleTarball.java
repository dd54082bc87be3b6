package dev.tarsier.gateway.cli;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * The demo's sample site: a few generated images and nested text files, with names that have spaces
 * and non-ASCII letters, as a gzipped tarball. The same bytes every time (fixed mtimes), so re-running
 * the demo writes the same objects.
 */
final class SampleTarball {
  private SampleTarball() {}

  static Map<String, byte[]> files() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("index.html", text("<!doctype html><title>Tapir</title><link rel=stylesheet href=\"css/site.css\"><img src=\"img/tapir.png\">\n"));
    files.put("css/site.css", text("body { font-family: sans-serif; background: #f4efe6; }\n"));
    files.put("img/tapir.png", image(new Color(0x6b4f3a), new Color(0xd9c3a5)));
    files.put("img/night sky.png", image(new Color(0x0b1026), new Color(0x3b4a8c)));
    files.put("img/ñandú.png", image(new Color(0x8a6d3b), new Color(0xf0e0c0)));
    files.put("docs/read me.txt", text("A sample site for the Tarsier demo.\n"));
    files.put("docs/Zürich/notes.md", text("# Notes\n\nNamed in UTF-8 on purpose.\n"));
    return files;
  }

  static byte[] tarball(Map<String, byte[]> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setAddPaxHeadersForNonAsciiNames(true);
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
        entry.setSize(file.getValue().length);
        entry.setModTime(0);
        tar.putArchiveEntry(entry);
        tar.write(file.getValue());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] text(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] image(Color from, Color to) throws IOException {
    BufferedImage image = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = image.createGraphics();
    graphics.setPaint(new GradientPaint(0, 0, from, 96, 64, to));
    graphics.fillRect(0, 0, 96, 64);
    graphics.dispose();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    return png.toByteArray();
  }
}
