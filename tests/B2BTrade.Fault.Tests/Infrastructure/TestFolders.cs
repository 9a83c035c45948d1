namespace B2BTrade.Fault.Tests.Infrastructure;

/// <summary>Scratch folders for server data (deleted afterwards) and server logs (kept).</summary>
internal static class TestFolders
{
    /// <summary>B2BTRADE_TEST_LOG_DIR (tests/run-all.sh points it into the test results), else a temp folder.</summary>
    public static string Logs { get; } = Environment.GetEnvironmentVariable("B2BTRADE_TEST_LOG_DIR") is { Length: > 0 } dir
        ? dir
        : Path.Combine(Path.GetTempPath(), "b2btrade-fault-logs");

    public static string NewScratch(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), $"b2btrade-fault-{name}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder; not worth failing a test over.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>A log name unique within this test run.</summary>
    public static string LogName(string name) => $"{DateTime.Now:HHmmss}-{name}";
}
