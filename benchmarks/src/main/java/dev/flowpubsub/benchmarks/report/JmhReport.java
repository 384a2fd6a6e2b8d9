package dev.flowpubsub.benchmarks.report;

import dev.flowpubsub.benchmarks.Args;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns JMH's JSON results ({@code -rf json}) into the Markdown tables of BENCHMARKS.md, each contender's ratio to
 * the docs' Broadcaster measured in the same run, and draws the fan-out chart (time to the last handler against N,
 * one line per contender, both axes logarithmic).
 *
 * <pre>java -jar benchmarks.jar report --jmh target/fanout.json,target/stream.json --chart docs/fanout.png</pre>
 */
public final class JmhReport {

    private static final String ANCHOR = "broadcaster";

    /** One benchmark result: the benchmark method, its parameters and what it measured. */
    record Row(String method, String contender, int n, String unit, double mean, double p50, double p99, double p999,
               int samples, Map<String, Double> secondary) {
    }

    private JmhReport() {
    }

    public static void main(String[] arguments) throws IOException {
        Args args = new Args(arguments);
        List<Row> rows = new ArrayList<>();
        for (String file : args.list("jmh", "target/fanout.json")) {
            rows.addAll(read(Path.of(file)));
        }
        System.out.println(tables(rows));
        String chart = args.get("chart", "");
        if (!chart.isEmpty()) {
            chart(rows, new File(chart));
            System.out.println("chart written to " + chart);
        }
    }

    static List<Row> read(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        JsonNode root = new ObjectMapper().readTree(Files.readString(file));
        for (JsonNode result : root) {
            String benchmark = result.get("benchmark").asString();
            String method = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
            JsonNode params = result.get("params");
            JsonNode primary = result.get("primaryMetric");
            JsonNode percentiles = primary.get("scorePercentiles");
            Map<String, Double> secondary = new LinkedHashMap<>();
            JsonNode secondaries = result.get("secondaryMetrics");
            if (secondaries != null) {
                for (Map.Entry<String, JsonNode> entry : secondaries.properties()) {
                    secondary.put(entry.getKey(), entry.getValue().get("score").asDouble());
                }
            }
            int samples = 0;
            JsonNode raw = primary.get("rawDataHistogram");
            if (raw != null) {
                for (JsonNode fork : raw) {
                    for (JsonNode iteration : fork) {
                        for (JsonNode bucket : iteration) {
                            samples += bucket.get(1).asInt();
                        }
                    }
                }
            }
            rows.add(new Row(method, params.get("contender").asString(), params.get("n").asInt(),
                    primary.get("scoreUnit").asString(), primary.get("score").asDouble(),
                    percentile(percentiles, "50.0"), percentile(percentiles, "99.0"), percentile(percentiles, "99.9"),
                    samples, secondary));
        }
        return rows;
    }

    private static double percentile(JsonNode percentiles, String key) {
        return percentiles == null || percentiles.get(key) == null ? Double.NaN : percentiles.get(key).asDouble();
    }

    static String tables(List<Row> rows) {
        StringBuilder out = new StringBuilder();
        Map<Integer, Map<String, Row>> fanOut = byN(rows, "FanOutBenchmark.toLastHandler");
        if (!fanOut.isEmpty()) {
            out.append("\nFan-out of one message to N pages, time until the last handler has run (ms; ratio = contender / broadcaster, by median)\n\n");
            out.append("| N | contender | median | mean | p99 | samples | median vs broadcaster |\n|---:|---|---:|---:|---:|---:|---:|\n");
            fanOut.forEach((n, byContender) -> byContender.forEach((contender, row) -> out.append(String.format(
                    "| %,d | %s | %s | %s | %s | %,d | %s |%n", n, contender, num(row.p50()), num(row.mean()), num(row.p99()),
                    row.samples(), ratio(row.p50(), byContender.get(ANCHOR), Row::p50)))));
        }
        Map<Integer, Map<String, Row>> send = byN(rows, "FanOutBenchmark.sendCall");
        if (!send.isEmpty()) {
            out.append("\nTime the publisher's thread spends in the send call (ns)\n\n");
            out.append("| N | contender | median | mean | p99 | p99.9 | samples | median vs broadcaster |\n|---:|---|---:|---:|---:|---:|---:|---:|\n");
            send.forEach((n, byContender) -> byContender.forEach((contender, row) -> out.append(String.format(
                    "| %,d | %s | %s | %s | %s | %s | %,d | %s |%n", n, contender, num(row.p50()), num(row.mean()),
                    num(row.p99()), num(row.p999()), row.samples(), ratio(row.p50(), byContender.get(ANCHOR), Row::p50)))));
        }
        Map<Integer, Map<String, Row>> sendInStream = byN(rows, "SteadyStreamBenchmark.sendCallInStream");
        if (!sendInStream.isEmpty()) {
            out.append("\nTime the publisher's thread spends in the send call within a steady stream (ns)\n\n");
            out.append("| N | contender | median | mean | p99 | p99.9 | samples | median vs broadcaster |\n|---:|---|---:|---:|---:|---:|---:|---:|\n");
            sendInStream.forEach((n, byContender) -> byContender.forEach((contender, row) -> out.append(String.format(
                    "| %,d | %s | %s | %s | %s | %s | %,d | %s |%n", n, contender, num(row.p50()), num(row.mean()),
                    num(row.p99()), num(row.p999()), row.samples(), ratio(row.p50(), byContender.get(ANCHOR), Row::p50)))));
        }
        Map<Integer, Map<String, Row>> stream = byN(rows, "SteadyStreamBenchmark.stream");
        if (!stream.isEmpty()) {
            out.append("\nSteady stream: messages handled by all N pages per second, and handler calls (deliveries) per second\n\n");
            out.append("| N | contender | messages/s | deliveries/s | vs broadcaster |\n|---:|---|---:|---:|---:|\n");
            stream.forEach((n, byContender) -> byContender.forEach((contender, row) -> {
                double messages = row.secondary().getOrDefault("messages", Double.NaN);
                Row anchor = byContender.get(ANCHOR);
                double anchorMessages = anchor == null ? Double.NaN : anchor.secondary().getOrDefault("messages", Double.NaN);
                out.append(String.format("| %,d | %s | %s | %s | %s |%n", n, contender, num(messages),
                        num(row.secondary().getOrDefault("deliveries", Double.NaN)),
                        Double.isNaN(anchorMessages) ? "" : String.format("%.1fx", messages / anchorMessages)));
            }));
        }
        return out.toString();
    }

    private static Map<Integer, Map<String, Row>> byN(List<Row> rows, String method) {
        Map<Integer, Map<String, Row>> result = new TreeMap<>();
        for (Row row : rows) {
            if (row.method().equals(method)) {
                result.computeIfAbsent(row.n(), n -> new TreeMap<>(JmhReport::contenderOrder)).put(row.contender(), row);
            }
        }
        return result;
    }

    private static int contenderOrder(String a, String b) {
        List<String> order = List.of("broadcaster", "signals", "signal-value", "pubsub");
        return Integer.compare(order.indexOf(a), order.indexOf(b));
    }

    private static String ratio(double value, Row anchor, java.util.function.ToDoubleFunction<Row> metric) {
        if (anchor == null) {
            return "";
        }
        return String.format("%.2fx", value / metric.applyAsDouble(anchor));
    }

    private static String num(double value) {
        if (Double.isNaN(value)) {
            return "";
        }
        return value >= 100 ? String.format("%,.0f", value) : value >= 10 ? String.format("%.1f", value) : String.format("%.2f", value);
    }

    /** A base-10 axis with a tick at each power of ten, labelled with plain numbers. */
    private static LogAxis logAxis(String label) {
        LogAxis axis = new LogAxis(label);
        axis.setBase(10);
        axis.setAutoTickUnitSelection(false);
        axis.setTickUnit(new NumberTickUnit(1.0));
        axis.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
        axis.setMinorTickMarksVisible(true);
        return axis;
    }

    /** Fan-out time (median) against N, one line per contender, log-log. */
    static void chart(List<Row> rows, File file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection dataset = new XYSeriesCollection();
        Map<String, XYSeries> series = new TreeMap<>(JmhReport::contenderOrder);
        for (Row row : rows) {
            if (row.method().equals("FanOutBenchmark.toLastHandler")) {
                series.computeIfAbsent(row.contender(), XYSeries::new).add(row.n(), row.p50());
            }
        }
        series.values().forEach(dataset::addSeries);
        JFreeChart chart = ChartFactory.createXYLineChart("One message to N pages: time until the last handler ran (median)",
                "subscribed pages (N)", "milliseconds", dataset, PlotOrientation.VERTICAL, true, false, false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        Color[] colors = {new Color(0xC0392B), new Color(0x8E44AD), new Color(0xD68910), new Color(0x1F77B4)};
        int i = 0;
        for (String name : series.keySet()) {
            renderer.setSeriesPaint(i, colors[Math.min(List.of("broadcaster", "signals", "signal-value", "pubsub").indexOf(name), 3)]);
            renderer.setSeriesStroke(i, new BasicStroke(2.5f));
            i++;
        }
        saveLogLog(chart, "subscribed pages (N)", "milliseconds to the last handler", renderer, file);
    }

    /** Gives {@code chart} base-10 axes, a white plot with grey grid lines and {@code renderer}, and saves it as PNG. */
    static void saveLogLog(JFreeChart chart, String xLabel, String yLabel, XYLineAndShapeRenderer renderer, File file)
            throws IOException {
        XYPlot plot = chart.getXYPlot();
        plot.setDomainAxis(logAxis(xLabel));
        plot.setRangeAxis(logAxis(yLabel));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setRenderer(renderer);
        chart.setBackgroundPaint(Color.WHITE);
        File parent = file.getAbsoluteFile().getParentFile();
        if (parent != null) {
            parent.mkdirs();
        }
        ChartUtils.saveChartAsPNG(file, chart, 900, 520);
    }
}
