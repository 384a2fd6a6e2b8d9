package dev.flowpubsub;

import org.jspecify.annotations.Nullable;

/**
 * Text read from the network (an entry id, a type name, a reason that quotes a payload), made fit for a log line or an
 * exception message: at most {@link #MAX_CODE_POINTS} characters, with control, format, separator and unassigned
 * characters shown as {@code ?}, so a hostile entry can neither flood the log nor forge or hide lines in it.
 */
final class Excerpt {

    /** The longest excerpt, before the marker of a cut. */
    static final int MAX_CODE_POINTS = 100;

    private Excerpt() {
    }

    /** A short, single-line excerpt of {@code text}; {@code "null"} for null. */
    static String of(@Nullable String text) {
        String all = String.valueOf(text);
        StringBuilder excerpt = new StringBuilder(MAX_CODE_POINTS + 30);
        all.codePoints().limit(MAX_CODE_POINTS).map(c -> isPlain(c) ? c : '?').forEach(excerpt::appendCodePoint);
        return all.codePointCount(0, all.length()) <= MAX_CODE_POINTS ? excerpt.toString()
                : excerpt.append("... (").append(all.length()).append(" characters)").toString();
    }

    private static boolean isPlain(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED -> false;
            default -> true;
        };
    }
}
