package dev.flowpubsub.internal;

/**
 * Text read from the network (an entry id, a reason that quotes a payload), made fit for a log line or an exception
 * message: at most {@link #MAX_CHARS} characters, control characters (line breaks among them) shown as {@code ?}, so
 * a hostile entry can neither flood the log nor forge lines in it.
 */
public final class Excerpt {

    /** The longest excerpt, before the marker of a cut. */
    public static final int MAX_CHARS = 100;

    private Excerpt() {
    }

    /** A short, single-line excerpt of {@code text}; {@code "null"} for null. */
    public static String of(String text) {
        if (text == null) {
            return "null";
        }
        int length = Math.min(text.length(), MAX_CHARS);
        StringBuilder excerpt = new StringBuilder(length + 24);
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            excerpt.append(Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR ? '?' : c);
        }
        if (text.length() > MAX_CHARS) {
            excerpt.append("... (").append(text.length()).append(" chars)");
        }
        return excerpt.toString();
    }
}
