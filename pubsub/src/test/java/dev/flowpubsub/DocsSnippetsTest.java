package dev.flowpubsub;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The code the README and the guide in {@code docs/} show is code that runs in a test or an example: a block
 * preceded by {@code <!-- snippet: path/File.java#name -->} must be, line for line, the region between
 * {@code // snippet:name} and {@code // end:name} in that file (indentation removed). So the docs cannot rot.
 */
class DocsSnippetsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern MARKER = Pattern.compile(
            "<!-- snippet: ([^#\\s]+)#([\\w-]+) -->\\R```\\w*\\R(.*?)\\R```", Pattern.DOTALL);

    @Test
    void everyMarkedBlockOfTheDocs_isTheRegionOfCodeItNames() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        int checked = 0;
        for (Path document : documents) {
            String text = Files.readString(document);
            Matcher marker = MARKER.matcher(text);
            while (marker.find()) {
                Path source = ROOT.resolve(marker.group(1));
                String where = ROOT.relativize(document) + " shows " + marker.group(1) + "#" + marker.group(2);
                assertThat(source).as(where).exists();
                assertThat(marker.group(3)).as(where).isEqualTo(region(Files.readString(source), marker.group(2), where));
                checked++;
            }
            assertThat(text.split("<!-- snippet:", -1).length - 1).as("markers in " + document + " followed by a "
                    + "code block").isEqualTo(count(text));
        }
        assertThat(checked).as("marked blocks in the README and docs/").isGreaterThanOrEqualTo(5);
    }

    private static int count(String text) {
        int found = 0;
        Matcher marker = MARKER.matcher(text);
        while (marker.find()) {
            found++;
        }
        return found;
    }

    /** The lines between the region's markers, without the indentation they share. */
    private static String region(String source, String name, String where) {
        List<String> lines = source.lines().toList();
        int start = -1;
        int end = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.equals("// snippet:" + name)) {
                start = i + 1;
            } else if (line.equals("// end:" + name)) {
                end = i;
            }
        }
        assertThat(start).as(where + ": the region's start marker").isPositive();
        assertThat(end).as(where + ": the region's end marker").isGreaterThanOrEqualTo(start);
        List<String> region = lines.subList(start, end);
        int indent = region.stream().filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        return String.join("\n", region.stream().map(line -> line.isBlank() ? "" : line.substring(indent)).toList());
    }
}
