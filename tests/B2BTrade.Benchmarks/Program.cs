using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using B2BTrade.Benchmarks;

// Usage: dotnet run -c Release --project tests/B2BTrade.Benchmarks -- w0 [--postgres "<npgsql>"] [--duration 10]
//        [--warmup 3] [--writes 20000] [--keys 1024] [--out results.md]
//        dotnet run -c Release --project tests/B2BTrade.Benchmarks -- w3 --listings 1000000 [--postgres "<npgsql>"]
//        dotnet run -c Release --project tests/B2BTrade.Benchmarks -- w2 [--threads 1000] [--rate 200] [--duration 30]
//        [--warmup 5] [--big 100000] [--append-samples 1000] [--rounds 1] [--timelines DIR] [--api-dll PATH] [--out FILE]   (build grpc-api -c Release first)
//        dotnet run -c Release --project tests/B2BTrade.Benchmarks -- w4 [--duration 15] [--warmup 3] [--concurrency 1,8,32]
//        [--listings 16] [--tonnes 25] [--api-dll PATH] [--out FILE]   (build grpc-api -c Release first)
if (args.Length > 0 && args[0] == "w3")
{
    return await W3.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "w2")
{
    return await W2.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "w4")
{
    return await W4.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "w2-echo-server")
{
    return await W2.RunEchoServerAsync(args[1..]);
}

if (args.Length == 0 || args[0] != "w0")
{
    Console.Error.WriteLine("usage: B2BTrade.Benchmarks w2 [--threads N --rate R] | w4 [--duration S --concurrency 1,8,32] | w3 --listings N [--postgres CONN] | w0 [--postgres \"<npgsql connection string>\"] [--duration 10] [--warmup 3] [--writes 20000] [--keys 1024] [--out FILE]");
    return 2;
}

string? postgres = null;
string? outFile = null;
double duration = 10, warmup = 3;
int writes = 20_000, keys = 1024;
for (var i = 1; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--postgres": postgres = Value(); break;
        case "--duration": duration = double.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--warmup": warmup = double.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--writes": writes = int.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--keys": keys = int.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--out": outFile = Value(); break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}");
            return 2;
    }
}

if (string.IsNullOrWhiteSpace(postgres))
{
    postgres = null;
}

var header = $"""
    W0 calibration, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC
    machine: {Environment.ProcessorCount} logical CPUs ({CpuModel()}), {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, GC {(GCSettings.IsServerGC ? "server" : "workstation")}
    load average at start: {LoadAverage()}
    timed scenarios: {warmup:0.#} s warm-up (not measured) + {duration:0.#} s measured; grain writes: {keys} warm-up writes (one per key, the INSERTs) + {writes} measured writes (UPDATEs) at concurrency 32 over {keys} keys
    """;
Console.WriteLine(header);
Console.WriteLine();

var (results, notes) = await W0.RunAsync(new W0Options(postgres, TimeSpan.FromSeconds(duration), TimeSpan.FromSeconds(warmup), writes, keys));
var table = Harness.ToMarkdown(results);
notes.Add($"load average at end: {LoadAverage()}");
Console.WriteLine();
Console.WriteLine(table);
foreach (var note in notes)
{
    Console.WriteLine("Note: " + note);
}

if (outFile is not null)
{
    await File.WriteAllTextAsync(outFile, header + "\n\n" + table + string.Concat(notes.Select(n => "\nNote: " + n + "\n")));
}

return results.Any(r => r.Errors > 0) ? 1 : 0;

static string LoadAverage()
{
    try
    {
        return File.ReadAllText("/proc/loadavg").Trim();
    }
    catch (IOException)
    {
        return "unknown";
    }
}

static string CpuModel()
{
    try
    {
        return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
    }
    catch (IOException)
    {
        return "unknown CPU";
    }
}
