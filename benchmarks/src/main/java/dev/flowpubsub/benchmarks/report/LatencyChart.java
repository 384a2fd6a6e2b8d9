package dev.flowpubsub.benchmarks.report;

import dev.flowpubsub.benchmarks.Args;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Last-recipient latency against the number of pages K, one line per contender, from the end-to-end tool's results
 * (the markdown table each run prints). Where several runs measured the same contender and K, the line goes through
 * their median.
 *
 * <pre>java -jar benchmarks.jar latency-chart --results a.txt,b.txt --chart docs/latency-by-k.png [--title "..."]</pre>
 */
public final class LatencyChart {

    private static final List<String> ORDER = List.of("stock", "tuned-broadcaster", "pubsub");
    private static final Color[] COLORS = {new Color(0xC0392B), new Color(0xD68910), new Color(0x1F77B4)};

    private LatencyChart() {
    }

    /** One headline row of a results table. */
    public record Point(String contender, int k, double p99Ms) {
    }

    public static void main(String[] arguments) throws IOException {
        Args args = new Args(arguments);
        List<Point> points = new ArrayList<>();
        for (String file : args.list("results", "")) {
            points.addAll(read(Path.of(file)));
        }
        if (points.isEmpty()) {
            throw new IllegalArgumentException("--results names no e2e result with a headline row");
        }
        Map<String, Map<Integer, Double>> medians = medians(points);
        medians.forEach((contender, byK) -> byK.forEach((k, p99) ->
                System.out.printf("%s K=%d last-recipient p99 %.1f ms%n", contender, k, p99)));
        chart(medians, new File(args.get("chart", "docs/latency-by-k.png")),
                args.get("title", "Last recipient's p99 against open pages (K)"));
    }

    /** The headline rows of one result file's table: contender, K and p99, found by the header's column names. */
    public static List<Point> read(Path file) throws IOException {
        List<Point> points = new ArrayList<>();
        List<String> header = null;
        for (String line : Files.readAllLines(file)) {
            if (!line.startsWith("| ")) {
                continue;
            }
            List<String> cells = Arrays.stream(line.substring(1, line.length() - 1).split("\\|", -1))
                    .map(String::strip).toList();
            if (cells.getFirst().equals("contender")) {
                header = cells;
            } else if (header != null && cells.size() == header.size()
                    && cells.get(header.indexOf("step")).equals("headline") && !cells.get(header.indexOf("p99 ms")).isEmpty()) {
                points.add(new Point(cells.getFirst(), Integer.parseInt(cells.get(header.indexOf("K")).replace(",", "")),
                        Double.parseDouble(cells.get(header.indexOf("p99 ms")).replace(",", ""))));
            }
        }
        return points;
    }

    /** Per contender and K, the median p99 of the runs (the lower middle one of an even count). */
    public static Map<String, Map<Integer, Double>> medians(List<Point> points) {
        Map<String, Map<Integer, List<Double>>> runs = new LinkedHashMap<>();
        for (Point point : points) {
            runs.computeIfAbsent(point.contender(), c -> new TreeMap<>())
                    .computeIfAbsent(point.k(), k -> new ArrayList<>()).add(point.p99Ms());
        }
        Map<String, Map<Integer, Double>> medians = new TreeMap<>(LatencyChart::order);
        runs.forEach((contender, byK) -> {
            Map<Integer, Double> line = new TreeMap<>();
            byK.forEach((k, values) -> line.put(k, values.stream().sorted().toList().get((values.size() - 1) / 2)));
            medians.put(contender, line);
        });
        return medians;
    }

    private static int order(String a, String b) {
        int byOrder = Integer.compare(rank(a), rank(b));
        return byOrder != 0 ? byOrder : a.compareTo(b);
    }

    private static int rank(String contender) {
        int rank = ORDER.indexOf(contender);
        return rank < 0 ? ORDER.size() : rank;
    }

    private static void chart(Map<String, Map<Integer, Double>> medians, File file, String title) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection dataset = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        int i = 0;
        for (var entry : medians.entrySet()) {
            XYSeries series = new XYSeries(entry.getKey());
            entry.getValue().forEach(series::add);
            dataset.addSeries(series);
            renderer.setSeriesPaint(i, COLORS[Math.min(rank(entry.getKey()), COLORS.length - 1)]);
            renderer.setSeriesStroke(i, new BasicStroke(2.5f));
            i++;
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title,
                "open pages (K)", "milliseconds", dataset, PlotOrientation.VERTICAL, true, false, false);
        JmhReport.saveLogLog(chart, "open pages (K)", "milliseconds, last recipient's p99", renderer, file);
    }
}
