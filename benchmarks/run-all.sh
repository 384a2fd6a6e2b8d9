#!/usr/bin/env bash
# Runs every benchmark of BENCHMARKS.md, one after the other (never two at once: they share the machine's cores),
# and keeps the raw results and the machine's load in benchmarks/results/. About 80 minutes on 2 cores.
# One part alone: benchmarks/run-all.sh e2e-overload
# Build first:  ./mvnw -B -Pproduction -pl chat,benchmarks/stock-app,benchmarks -am package -DskipTests
# Runs with the java of JAVA_HOME (a JDK 21 or newer), or the one on the PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAR=benchmarks/target/benchmarks.jar
OUT=benchmarks/results
mkdir -p "$OUT"
parts="${*:-machine fanout stream memory crossnode throughput e2e e2e-deflate e2e-overload e2e-overload-long-polling e2e-idle e2e-defaults crosssignal signalwrites memory-bound report}"

load() { echo "$(date -u +%FT%TZ) $1: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/load.txt"; }

for part in $parts; do
  case "$part" in
    machine)
      { lscpu | grep -E 'Model name|^CPU\(s\)|Thread|Core'; free -g | head -2; "$JAVA" -version 2>&1; uname -r; } > "$OUT/machine.txt" ;;
    fanout)
      load "fanout start"
      "$JAVA" -jar $JAR 'FanOutBenchmark' -rf json -rff "$OUT/fanout.json" > "$OUT/fanout.log" 2>&1
      load "fanout end" ;;
    stream)
      load "stream start"
      "$JAVA" -jar $JAR 'SteadyStreamBenchmark' -rf json -rff "$OUT/stream.json" > "$OUT/stream.log" 2>&1
      load "stream end" ;;
    memory)
      load "memory start"
      for n in 10000 100000; do "$JAVA" -Xmx8g -jar $JAR memory --n $n > "$OUT/memory-$n.txt" 2>&1; done
      load "memory end" ;;
    crossnode)
      load "crossnode start"
      "$JAVA" -jar $JAR crossnode --messages 4000 --pages 1 --dir benchmarks/target > "$OUT/crossnode.txt" 2>&1
      "$JAVA" -jar $JAR crossnode --messages 4000 --pages 1000 --dir benchmarks/target > "$OUT/crossnode-1000.txt" 2>&1
      load "crossnode end" ;;
    throughput)
      load "throughput start"
      "$JAVA" -jar $JAR throughput --nodes 2,3,4 --rates 5000,10000,20000,40000,60000,80000 > "$OUT/throughput.txt" 2>&1
      load "throughput end" ;;
    e2e-deflate)
      load "e2e-deflate start"
      # the lead table's rows: K = 100 once, K = 1,000 three times (the median ratio), K = 3,000 at 1 message/s
      "$JAVA" -jar $JAR e2e --push websocket-deflate --clients 100 --rate 5 --seconds 60 --ladder none --drain-seconds 30 \
        --log-dir benchmarks/target > "$OUT/e2e-100-deflate.txt" 2>&1
      for run in "" -2 -3; do
        "$JAVA" -jar $JAR e2e --push websocket-deflate --clients 1000 --rate 5 --seconds 60 --ladder none --drain-seconds 30 \
          --log-dir benchmarks/target > "$OUT/e2e-1000-deflate$run.txt" 2>&1
      done
      "$JAVA" -jar $JAR e2e --push websocket-deflate --clients 3000 --rate 1 --seconds 60 --ladder none --drain-seconds 60 \
        --log-dir benchmarks/target > "$OUT/e2e-3000-deflate.txt" 2>&1
      load "e2e-deflate end" ;;
    e2e-overload)
      load "e2e-overload start"
      for run in "" -2 -3; do
        "$JAVA" -jar $JAR e2e --clients 1000 --rate 40 --seconds 20 --senders 64 --ladder none --drain-seconds 90 \
          --contenders pubsub,tuned-broadcaster --log-dir benchmarks/target > "$OUT/e2e-1000-overload-websocket$run.txt" 2>&1
      done
      load "e2e-overload end" ;;
    e2e-overload-long-polling)
      load "e2e-overload-long-polling start"
      "$JAVA" -jar $JAR e2e --push long-polling --clients 1000 --rate 40 --seconds 20 --senders 64 --ladder none \
        --drain-seconds 90 --contenders pubsub,tuned-broadcaster --log-dir benchmarks/target \
        > "$OUT/e2e-1000-overload-long-polling.txt" 2>&1
      load "e2e-overload-long-polling end" ;;
    e2e-idle)
      load "e2e-idle start"
      "$JAVA" -jar $JAR e2e --clients 1000 --idle-seconds 60 --contenders stock,pubsub-atmosphere-defaults,pubsub \
        --log-dir benchmarks/target > "$OUT/e2e-1000-idle.txt" 2>&1
      for run in -2 -3; do
        "$JAVA" -jar $JAR e2e --clients 1000 --idle-seconds 60 --log-dir benchmarks/target > "$OUT/e2e-1000-idle$run.txt" 2>&1
      done
      load "e2e-idle end" ;;
    e2e)
      load "e2e start"
      "$JAVA" -jar $JAR e2e --clients 1000 --rate 5 --seconds 20 > "$OUT/e2e-1000.txt" 2>&1
      load "e2e end" ;;
    e2e-defaults)
      # flow-pubsub with Atmosphere's default write wait (100 ms) instead of the 1 ms it sets
      load "e2e-defaults start"
      for k in 1000 200; do
        "$JAVA" -jar $JAR e2e --contenders pubsub --clients $k --rate 5 --seconds 20 --write-wait-ms 100 \
          > "$OUT/e2e-$k-atmosphere-defaults.txt" 2>&1
      done
      load "e2e-defaults end" ;;
    crosssignal)
      # a shared signal write beside a message: on A until 1,000 pages on B show it, then all on one node
      load "crosssignal start"
      "$JAVA" -jar $JAR crosssignal --writes 500 --pages 1000 --engines redis,postgres --dir benchmarks/target \
        > "$OUT/crosssignal-redis-postgres.txt" 2>&1
      "$JAVA" -jar $JAR crosssignal --writes 500 --pages 1000 --engines local --dir benchmarks/target \
        > "$OUT/crosssignal-local.txt" 2>&1
      load "crosssignal end" ;;
    signalwrites)
      load "signalwrites start"
      "$JAVA" -jar $JAR signalwrites --engines redis,postgres --rates 500,1000,2000,4000,8000,16000 \
        --dir benchmarks/target > "$OUT/signalwrites-redis-postgres.txt" 2>&1
      load "signalwrites end" ;;
    memory-bound)
      load "memory-bound start"
      "$JAVA" -Xmx8g -jar $JAR memory --n 10000 --contenders span,bound-local,bound-cluster,pubsub \
        > "$OUT/memory-bound-10000.txt" 2>&1
      load "memory-bound end" ;;
    report)
      "$JAVA" -jar $JAR report --jmh "$OUT/fanout.json,$OUT/stream.json" --chart docs/fanout.png > "$OUT/report.md"
      "$JAVA" -jar $JAR latency-chart --chart docs/latency-by-k.png \
        --results "$OUT/e2e-100-deflate.txt,$OUT/e2e-1000-deflate.txt,$OUT/e2e-1000-deflate-2.txt,$OUT/e2e-1000-deflate-3.txt,$OUT/e2e-3000-deflate.txt" \
        --title "Last recipient's p99 against open pages K, compressed pushes (5 messages/s; K = 3,000 at 1/s)" ;;
    *) echo "unknown part $part" >&2; exit 2 ;;
  esac
done
