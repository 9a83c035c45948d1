using Grpc.Net.Client;

namespace B2BTrade.Fault.Tests.Infrastructure;

/// <summary>
/// The API host in its single-node default (co-hosted silo, SQLite under its data folder) on free
/// ports; it can be killed and started again on the same data folder and ports.
/// </summary>
internal sealed class SingleNodeServer : IAsyncDisposable
{
    public const string OperatorEmail = "operator@b2btrade.test";
    public const string OperatorPassword = "Oper#2026pass";

    private readonly string _name;
    private readonly string _folder;
    private readonly List<ServerProcess> _runs = [];

    private SingleNodeServer(string name)
    {
        _name = name;
        _folder = TestFolders.NewScratch(name);
        DataDir = Path.Combine(_folder, "data");
    }

    public string DataDir { get; }

    public int WebPort { get; } = FreePorts.Next();

    public int GrpcPort { get; } = FreePorts.Next();

    private IReadOnlyDictionary<string, string> _settings = new Dictionary<string, string>();

    public Uri WebUrl => new($"http://127.0.0.1:{WebPort}");

    public Uri GrpcUrl => new($"http://127.0.0.1:{GrpcPort}");

    /// <summary>The process of the latest start.</summary>
    public ServerProcess Process => _runs[^1];

    private int SiloPort { get; } = FreePorts.Next();

    private int GatewayPort { get; } = FreePorts.Next();

    /// <param name="settings">Extra environment (configuration) for every start, e.g. a short order confirmation window.</param>
    public static async Task<SingleNodeServer> StartAsync(string name, IReadOnlyDictionary<string, string>? settings = null)
    {
        var server = new SingleNodeServer(name) { _settings = settings ?? new Dictionary<string, string>() };
        try
        {
            await server.StartProcessAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the process (again) on the same data folder and ports and waits for /healthz.</summary>
    public async Task StartProcessAsync()
    {
        var environment = new Dictionary<string, string>
        {
            ["B2BTrade__Mode"] = "SingleNode",
            ["B2BTrade__DataDir"] = DataDir,
            ["B2BTrade__Silo__SiloPort"] = SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["B2BTrade__Silo__GatewayPort"] = GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["B2BTrade__Operator__Email"] = OperatorEmail,
            ["B2BTrade__Operator__Password"] = OperatorPassword,
            ["Kestrel__Endpoints__Web__Url"] = WebUrl.ToString().TrimEnd('/'),
            ["Kestrel__Endpoints__Grpc__Url"] = GrpcUrl.ToString().TrimEnd('/'),
        };
        foreach (var (key, value) in _settings)
        {
            environment[key] = value;
        }

        var process = ServerProcess.Start(TestFolders.LogName($"{_name}-api-{_runs.Count + 1}"), RepoLayout.ApiDll, _folder, environment, TestFolders.Logs);
        _runs.Add(process);
        await process.WaitForHttpOkAsync(new Uri(WebUrl, "/healthz"), TimeSpan.FromSeconds(90));
    }

    /// <summary>A native gRPC (HTTP/2 cleartext) channel to the Grpc endpoint.</summary>
    public GrpcChannel OpenChannel() => GrpcChannel.ForAddress(GrpcUrl);

    /// <summary>Log tails of every start of this server.</summary>
    public string Tails() => string.Join("\n", _runs.Select(r => r.Tail()));

    public async ValueTask DisposeAsync()
    {
        foreach (var run in _runs)
        {
            await run.DisposeAsync();
        }

        TestFolders.Delete(_folder);
    }
}
