using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace B2BTrade.Fault.Tests.Infrastructure;

/// <summary>
/// One server executable (`dotnet X.dll`) run as a child process, its stdout and stderr captured to a
/// log file whose tail goes into assertion messages. Killed with SIGKILL on dispose if still running.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    // Configuration inherited from the test runner's environment must not leak into the servers.
    private static readonly string[] s_inheritedPrefixes = ["B2BTrade__", "Kestrel__", "Orleans__", "ASPNETCORE_URLS", "ASPNETCORE_HTTP", "DOTNET_URLS"];

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logGate = new();
    private bool _logClosed;

    private ServerProcess(string name, Process process, string logPath, StreamWriter log)
    {
        Name = name;
        _process = process;
        LogPath = logPath;
        _log = log;
    }

    public string Name { get; }

    public string LogPath { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts `dotnet <paramref name="dll"/>` in <paramref name="workingDirectory"/> with <paramref name="environment"/> added.</summary>
    public static ServerProcess Start(string name, string dll, string workingDirectory, IReadOnlyDictionary<string, string> environment, string logDirectory)
    {
        Directory.CreateDirectory(workingDirectory);
        Directory.CreateDirectory(logDirectory);
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(dll);
        foreach (var key in startInfo.Environment.Keys.Where(k => s_inheritedPrefixes.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var logPath = Path.Combine(logDirectory, $"{name}.log");
        var log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), new UTF8Encoding(false)) { AutoFlush = true };
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var server = new ServerProcess(name, process, logPath, log);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server.Append($"---- {DateTimeOffset.Now:O} starting: dotnet {dll} (in {workingDirectory})");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>SIGKILL to the process and its children, then waits for it to be gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            Append($"---- {DateTimeOffset.Now:O} test: SIGKILL");
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit(10_000);
    }

    /// <summary>Sends SIGTERM (`kill -TERM pid`) and waits; the exit code, or null when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<int?> TerminateAsync(TimeSpan timeout)
    {
        Append($"---- {DateTimeOffset.Now:O} test: SIGTERM");
        using (var kill = Process.Start("kill", ["-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            ?? throw new InvalidOperationException("Could not run kill."))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// Waits for an HTTP 200 from <paramref name="url"/>, asking every <paramref name="pollInterval"/> (300 ms by
    /// default); fails early, with the log tail, if the process exits.
    /// </summary>
    public async Task WaitForHttpOkAsync(Uri url, TimeSpan timeout, TimeSpan? pollInterval = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        var stop = DateTime.UtcNow + timeout;
        string last = "no answer";
        while (DateTime.UtcNow < stop)
        {
            ThrowIfExited($"while waiting for {url}");
            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }

            await Task.Delay(pollInterval ?? TimeSpan.FromMilliseconds(300));
        }

        throw new TimeoutException($"{Name}: {url} did not answer 200 within {timeout.TotalSeconds:0} s (last: {last}).\n{Tail()}");
    }

    /// <summary>Waits until 127.0.0.1:<paramref name="port"/> accepts TCP connections.</summary>
    public async Task WaitForTcpAsync(int port, TimeSpan timeout)
    {
        var stop = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < stop)
        {
            ThrowIfExited($"while waiting for port {port}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(300);
            }
        }

        throw new TimeoutException($"{Name}: port {port} did not open within {timeout.TotalSeconds:0} s.\n{Tail()}");
    }

    public void ThrowIfExited(string when)
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} {when}.\n{Tail()}");
        }
    }

    /// <summary>The last lines of the captured output, headed by the process name.</summary>
    public string Tail(int lines = 60)
    {
        string[] all;
        lock (_logGate)
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            all = reader.ReadToEnd().Split('\n');
        }

        var tail = all.Skip(Math.Max(0, all.Length - lines));
        return $"----- last {lines} lines of {Name} ({LogPath}) -----\n{string.Join('\n', tail)}";
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        catch (TimeoutException)
        {
            // Reported by the test that needed it gone; nothing more to do here.
        }

        _process.Dispose();
        lock (_logGate)
        {
            _logClosed = true;
            _log.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logGate)
        {
            if (!_logClosed)
            {
                _log.WriteLine(line);
            }
        }
    }
}
