using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Grpc.Net.Client;
using Npgsql;

namespace B2BTrade.Fault.Tests.Infrastructure;

/// <summary>
/// Two standalone silos and one or more API nodes in cluster mode, on a fresh PostgreSQL database and
/// the test Redis (flushed first: Orleans membership of an earlier run must not linger), all sharing one
/// generated signing key. An API node can be killed and started again on its ports.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    public const string OperatorEmail = "operator@b2btrade.test";
    public const string OperatorPassword = "Oper#2026pass";

    private readonly string _name;
    private readonly string _folder;
    private readonly string _adminConnectionString;
    private readonly string _redis;
    private readonly string _database;
    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly List<ServerProcess> _processes = [];
    private readonly List<ApiNode> _apiNodes = [];

    private LocalCluster(string name, string adminConnectionString, string redis)
    {
        _name = name;
        _folder = TestFolders.NewScratch(name);
        _adminConnectionString = adminConnectionString;
        _redis = redis;
        _database = $"b2b_fault_{Guid.NewGuid().ToString("N")[..12]}";
    }

    public ServerProcess Silo1 { get; private set; } = null!;

    public ServerProcess Silo2 { get; private set; } = null!;

    /// <summary>The current process of the first API node.</summary>
    public ServerProcess Api => _apiNodes[0].Process;

    /// <summary>The API nodes, each with its own ports, data folder and in-memory search index.</summary>
    public IReadOnlyList<ApiNode> ApiNodes => _apiNodes;

    public int WebPort => _apiNodes[0].WebPort;

    public int GrpcPort => _apiNodes[0].GrpcPort;

    /// <summary>The connection string the servers use (the fresh database).</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = _database }.ConnectionString;

    /// <summary>
    /// Reads B2BTRADE_TEST_POSTGRES and B2BTRADE_TEST_REDIS and starts the cluster with
    /// <paramref name="apiNodes"/> API nodes; fails with a clear message when either is missing.
    /// </summary>
    public static async Task<LocalCluster> StartFromEnvironmentAsync(string name, int apiNodes = 1)
    {
        var postgres = Environment.GetEnvironmentVariable("B2BTRADE_TEST_POSTGRES");
        var redis = Environment.GetEnvironmentVariable("B2BTRADE_TEST_REDIS");
        Assert.False(
            string.IsNullOrWhiteSpace(postgres) || string.IsNullOrWhiteSpace(redis),
            "The cluster fault test needs real servers: set B2BTRADE_TEST_POSTGRES (Npgsql connection string of a role that may CREATE DATABASE) "
            + "and B2BTRADE_TEST_REDIS (host:port). `bash tests/run-all.sh` starts private ones and sets both.");

        var cluster = new LocalCluster(name, postgres!, redis!);
        try
        {
            await cluster.StartAsync(apiNodes);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>A native gRPC channel to the first API node.</summary>
    public GrpcChannel OpenChannel() => _apiNodes[0].OpenChannel();

    public string Tails() => string.Join("\n", _processes.Select(p => p.Tail()));

    /// <summary>
    /// For failure messages: the read model's rows of <paramref name="listingIds"/> and the outbox events still
    /// waiting to be projected for them, so a stale search tells whether the projection or the API node's feed lags.
    /// </summary>
    public async Task<string> DescribeReadModelAsync(IReadOnlyCollection<string> listingIds)
    {
        var text = new StringBuilder();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using (var rows = new NpgsqlCommand(
            """
            SELECT listing_id, version, status, price_min, stock_tonnes, projected_at,
                   CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT) - projected_at
            FROM rm_listings WHERE listing_id = ANY(@ids) ORDER BY listing_id
            """,
            connection))
        {
            rows.Parameters.AddWithValue("ids", listingIds.ToArray());
            await using var reader = await rows.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"rm_listings {reader.GetString(0)}: version {reader.GetInt64(1)}, status {reader.GetInt64(2)}, price {reader.GetDecimal(3)}, stock {reader.GetDecimal(4)}, "
                    + $"projected_at {reader.GetInt64(5)} ({reader.GetInt64(6) / 1000} ms ago)\n");
            }
        }

        await using (var pending = new NpgsqlCommand(
            "SELECT aggregate_id, version, id FROM outbox WHERE aggregate_id = ANY(@ids) ORDER BY id", connection))
        {
            pending.Parameters.AddWithValue("ids", listingIds.ToArray());
            await using var reader = await pending.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                text.Append(CultureInfo.InvariantCulture, $"outbox still holds {reader.GetString(0)} version {reader.GetInt64(1)} (id {reader.GetInt64(2)})\n");
            }
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        try
        {
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // The server may be gone already; the database is disposable either way.
        }

        TestFolders.Delete(_folder);
    }

    private async Task StartAsync(int apiNodes)
    {
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        await FlushRedisAsync();

        var silo1Ports = (Silo: FreePorts.Next(), Gateway: FreePorts.Next());
        var silo2Ports = (Silo: FreePorts.Next(), Gateway: FreePorts.Next());
        Silo1 = StartSilo(1, silo1Ports.Silo, silo1Ports.Gateway);
        await Silo1.WaitForTcpAsync(silo1Ports.Gateway, TimeSpan.FromSeconds(90));
        Silo2 = StartSilo(2, silo2Ports.Silo, silo2Ports.Gateway);
        await Silo2.WaitForTcpAsync(silo2Ports.Gateway, TimeSpan.FromSeconds(90));

        for (var number = 1; number <= apiNodes; number++)
        {
            var node = new ApiNode(this, number == 1 ? "api" : $"api{number}");
            _apiNodes.Add(node);
            await node.StartAsync();
        }
    }

    private ServerProcess StartSilo(int number, int siloPort, int gatewayPort)
    {
        var environment = CommonEnvironment($"silo{number}");
        environment["B2BTrade__Silo__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture);
        environment["B2BTrade__Silo__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture);
        return Start($"silo{number}", RepoLayout.SiloDll, environment);
    }

    private Dictionary<string, string> CommonEnvironment(string node) => new()
    {
        ["B2BTrade__Mode"] = "Cluster",
        ["B2BTrade__Postgres"] = ConnectionString,
        ["B2BTrade__Redis"] = _redis,
        ["B2BTrade__Auth__SigningKey"] = _signingKey,
        ["B2BTrade__Operator__Email"] = OperatorEmail,
        ["B2BTrade__Operator__Password"] = OperatorPassword,
        ["B2BTrade__DataDir"] = Path.Combine(_folder, node),

        // All test users share 127.0.0.1; the per-network limit on verification codes (30 an hour) is for real networks.
        ["B2BTrade__RateLimits__CodesPerIpPerHour"] = "10000",
    };

    private ServerProcess Start(string node, string dll, Dictionary<string, string> environment)
    {
        var process = ServerProcess.Start(TestFolders.LogName($"{_name}-{node}"), dll, Path.Combine(_folder, node), environment, TestFolders.Logs);
        _processes.Add(process);
        return process;
    }

    /// <summary>Starts one run of an API node's process on its ports (not yet waiting for it).</summary>
    private ServerProcess StartApi(ApiNode node, int run)
    {
        var environment = CommonEnvironment(node.Name);
        environment["Kestrel__Endpoints__Web__Url"] = $"http://127.0.0.1:{node.WebPort}";
        environment["Kestrel__Endpoints__Grpc__Url"] = $"http://127.0.0.1:{node.GrpcPort}";
        return Start(run == 1 ? node.Name : $"{node.Name}-run{run}", RepoLayout.ApiDll, environment);
    }

    /// <summary>FLUSHDB over RESP: membership rows of dead silos from an earlier run would slow or fail the start.</summary>
    private async Task FlushRedisAsync()
    {
        var separator = _redis.LastIndexOf(':');
        var host = separator > 0 ? _redis[..separator] : _redis;
        var port = separator > 0 ? int.Parse(_redis[(separator + 1)..].Split(',')[0], CultureInfo.InvariantCulture) : 6379;
        using var client = new TcpClient();
        await client.ConnectAsync(host, port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("*1\r\n$7\r\nFLUSHDB\r\n"));
        var buffer = new byte[64];
        var read = await stream.ReadAsync(buffer);
        var reply = Encoding.ASCII.GetString(buffer, 0, read);
        Assert.True(reply.StartsWith("+OK", StringComparison.Ordinal), $"Redis {_redis} answered FLUSHDB with {reply.Trim()}");
    }

    /// <summary>One API node (an Orleans client of the silos with its own search index) on fixed ports.</summary>
    internal sealed class ApiNode(LocalCluster cluster, string name)
    {
        private int _runs;

        public string Name { get; } = name;

        public int WebPort { get; } = FreePorts.Next();

        public int GrpcPort { get; } = FreePorts.Next();

        public Uri Healthz => new($"http://127.0.0.1:{WebPort}/healthz");

        /// <summary>The process of the latest start.</summary>
        public ServerProcess Process { get; private set; } = null!;

        public GrpcChannel OpenChannel() => GrpcChannel.ForAddress($"http://127.0.0.1:{GrpcPort}");

        /// <summary>
        /// Starts the node's process (again, on the same ports) and waits for /healthz to answer 200, polling
        /// every <paramref name="pollInterval"/> (300 ms by default).
        /// </summary>
        public async Task StartAsync(TimeSpan? pollInterval = null)
        {
            Process = cluster.StartApi(this, ++_runs);
            await Process.WaitForHttpOkAsync(Healthz, TimeSpan.FromSeconds(90), pollInterval);
        }
    }
}
