package dev.flowpubsub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Checks over a module's main sources that a compiler does not make: rules a reviewer would otherwise have to catch. */
public final class SourceRules {

    private static final Pattern COMMENTS_AND_STRINGS = Pattern.compile(
            "//[^\\n]*|/\\*.*?\\*/|\"\"\"(?:.|\\n)*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\])'", Pattern.DOTALL);
    private static final Pattern SYNCHRONIZED = Pattern.compile("\\bsynchronized\\b");

    private SourceRules() {
    }

    /**
     * Where {@code synchronized} is used in the main sources under {@code root}, as "File.java:line", outside the
     * files named in {@code allowed}. A virtual thread that blocks inside a monitor pins its carrier thread on JDK 21
     * to 23, which the library supports: blocking code takes a {@code ReentrantLock} instead.
     */
    public static List<String> synchronizedUses(Path root, Set<String> allowed) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (allowed.contains(file.getFileName().toString())) {
                    continue;
                }
                String code = blankOut(Files.readString(file));
                Matcher matcher = SYNCHRONIZED.matcher(code);
                while (matcher.find()) {
                    long line = code.substring(0, matcher.start()).chars().filter(c -> c == '\n').count() + 1;
                    found.add(file.getFileName() + ":" + line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** The code with comments and string literals replaced by spaces, line breaks kept. */
    private static String blankOut(String code) {
        Matcher matcher = COMMENTS_AND_STRINGS.matcher(code);
        StringBuilder out = new StringBuilder(code.length());
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group().replaceAll("[^\\n]", " ")));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
