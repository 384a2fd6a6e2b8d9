package dev.flowpubsub.benchmarks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} command-line options of the load tools, with defaults. */
public final class Args {

    private final Map<String, String> values = new HashMap<>();

    public Args(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got: " + String.join(" ", args));
            }
            values.put(args[i].substring(2), args[++i]);
        }
    }

    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public int integer(String name, int fallback) {
        return Integer.parseInt(get(name, Integer.toString(fallback)));
    }

    public double number(String name, double fallback) {
        return Double.parseDouble(get(name, Double.toString(fallback)));
    }

    public List<String> list(String name, String fallback) {
        return List.of(get(name, fallback).split(","));
    }
}
