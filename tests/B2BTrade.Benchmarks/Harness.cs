using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace B2BTrade.Benchmarks;

/// <summary>One measured scenario: throughput over the measured window and latency percentiles of the measured ops.</summary>
public sealed record BenchResult(
    string Scenario,
    int Concurrency,
    string Run,
    long Ops,
    long Errors,
    double Seconds,
    double OpsPerSecond,
    double P50Ms,
    double P99Ms,
    double P999Ms,
    double MeanMs,
    double MaxMs,
    string? FirstError);

/// <summary>
/// A closed-loop load harness: N workers each run one operation after another. Warm-up ops run first and are
/// not recorded; then either a fixed duration or a fixed op count is measured. Latency is taken per op with
/// Stopwatch timestamps; throughput is measured ops divided by the wall time from the start of the measured
/// phase until the last worker finished its last op (so in-flight ops at the end are counted, not dropped).
/// </summary>
public static class Harness
{
    /// <param name="op">Called with a process-wide increasing sequence number (use it to pick keys).</param>
    public static async Task<BenchResult> RunTimedAsync(string scenario, int concurrency, TimeSpan warmup, TimeSpan duration, Func<long, Task> op)
    {
        long sequence = 0;
        // Warm-up: same workers and op, not recorded.
        await RunPhaseAsync(concurrency, op, () => Interlocked.Increment(ref sequence), stopAt: Stopwatch.GetTimestamp() + ToTicks(warmup), maxOps: long.MaxValue, record: false);
        var stopAt = Stopwatch.GetTimestamp() + ToTicks(duration);
        var measured = await RunPhaseAsync(concurrency, op, () => Interlocked.Increment(ref sequence), stopAt, long.MaxValue, record: true);
        return Summarise(scenario, concurrency, $"{duration.TotalSeconds:0} s", measured);
    }

    public static async Task<BenchResult> RunCountAsync(string scenario, int concurrency, long warmupOps, long ops, Func<long, Task> op)
    {
        long sequence = 0;
        long warmed = 0;
        await RunPhaseAsync(concurrency, op, () => Interlocked.Increment(ref sequence), long.MaxValue, warmupOps, record: false, counter: () => Interlocked.Increment(ref warmed));
        long done = 0;
        var measured = await RunPhaseAsync(concurrency, op, () => Interlocked.Increment(ref sequence), long.MaxValue, ops, record: true, counter: () => Interlocked.Increment(ref done));
        return Summarise(scenario, concurrency, $"{ops} ops", measured);
    }

    private sealed record Phase(long[] LatencyTicks, long Errors, long ElapsedTicks, string? FirstError);

    private static async Task<Phase> RunPhaseAsync(int concurrency, Func<long, Task> op, Func<long> next, long stopAt, long maxOps, bool record, Func<long>? counter = null)
    {
        var perWorker = new List<long>[concurrency];
        long errors = 0;
        string? firstError = null;
        var start = Stopwatch.GetTimestamp();
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            var latencies = perWorker[w] = new List<long>(record ? 1 << 14 : 0);
            workers[w] = Task.Run(async () =>
            {
                while (true)
                {
                    var began = Stopwatch.GetTimestamp();
                    if (began >= stopAt || (counter is not null && counter() > maxOps))
                    {
                        return;
                    }

                    try
                    {
                        await op(next());
                        if (record)
                        {
                            latencies.Add(Stopwatch.GetTimestamp() - began);
                        }
                    }
                    catch (Exception e)
                    {
                        Interlocked.Increment(ref errors);
                        Interlocked.CompareExchange(ref firstError, e.GetType().Name + ": " + e.Message, null);
                    }
                }
            });
        }

        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetTimestamp() - start;
        var all = perWorker.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new Phase(all, errors, elapsed, firstError);
    }

    private static BenchResult Summarise(string scenario, int concurrency, string run, Phase phase)
    {
        var seconds = phase.ElapsedTicks / (double)Stopwatch.Frequency;
        var ops = phase.LatencyTicks.LongLength;
        return new BenchResult(scenario, concurrency, run, ops, phase.Errors, seconds, ops / seconds,
            Percentile(phase.LatencyTicks, 0.50), Percentile(phase.LatencyTicks, 0.99), Percentile(phase.LatencyTicks, 0.999),
            ops == 0 ? double.NaN : phase.LatencyTicks.Average(t => (double)t) * 1000.0 / Stopwatch.Frequency,
            Percentile(phase.LatencyTicks, 1.0), phase.FirstError);
    }

    /// <summary>The median of sorted values (the mean of the middle two for an even count).</summary>
    public static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;

    /// <summary>Nearest-rank percentile of sorted ticks, in milliseconds.</summary>
    public static double Percentile(long[] sortedTicks, double p)
    {
        if (sortedTicks.Length == 0)
        {
            return double.NaN;
        }

        var index = Math.Clamp((int)Math.Ceiling(p * sortedTicks.Length) - 1, 0, sortedTicks.Length - 1);
        return sortedTicks[index] * 1000.0 / Stopwatch.Frequency;
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    public static string ToMarkdown(IEnumerable<BenchResult> results)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("| Scenario | Concurrency | Measured | Ops | Errors | ops/s | p50 ms | p99 ms | p99.9 ms | mean ms |");
        sb.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            sb.Append(c, $"| {r.Scenario} | {r.Concurrency} | {r.Run} | {r.Ops:N0} | {r.Errors} | {r.OpsPerSecond:N0} | {r.P50Ms:0.000} | {r.P99Ms:0.000} | {r.P999Ms:0.00} | {r.MeanMs:0.000} |").AppendLine();
        }

        return sb.ToString();
    }
}
