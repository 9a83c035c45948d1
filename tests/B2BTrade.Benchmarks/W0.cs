using System.Net;
using System.Net.Sockets;
using B2BTrade.Benchmarks.Echo;
using B2BTrade.Grains.Infrastructure;
using B2BTrade.Silo.Data;
using B2BTrade.Silo.Hosting;
using B2BTrade.Silo.ReadModel;
using B2BTrade.Silo.Storage;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Npgsql;
using Orleans.Serialization;
using Orleans.Storage;

namespace B2BTrade.Benchmarks;

public sealed record W0Options(string? Postgres, TimeSpan Duration, TimeSpan Warmup, int Writes, int WriteKeys);

/// <summary>
/// W0 calibration: the floor costs every later target is measured against, all in one process run on one machine.
/// a. raw PostgreSQL INSERT + COMMIT (and the same on the project's SQLite setup), b. raw gRPC unary echo,
/// c. Orleans grain ping, d. grain writes through the project's RelationalGrainStorage (SQLite and PostgreSQL).
/// </summary>
public static class W0
{
    private static readonly string s_payload = new('x', 100);

    public static async Task<(List<BenchResult> Results, List<string> Notes)> RunAsync(W0Options options)
    {
        var results = new List<BenchResult>();
        var notes = new List<string>();

        void Add(BenchResult result)
        {
            results.Add(result);
            Console.WriteLine($"  {result.Scenario} x{result.Concurrency}: {result.OpsPerSecond:N0} ops/s, p50 {result.P50Ms:0.000} ms, p99 {result.P99Ms:0.000} ms, p99.9 {result.P999Ms:0.00} ms, mean {result.MeanMs:0.000} ms, max {result.MaxMs:0.0} ms" +
                (result.Errors > 0 ? $", {result.Errors} errors (first: {result.FirstError})" : ""));
        }

        // a. Raw database commits.
        if (options.Postgres is null)
        {
            notes.Add("PostgreSQL scenarios skipped: no --postgres connection string given.");
        }
        else
        {
            foreach (var r in await RawPostgresAsync(options.Postgres, options, [1, 16, 64]))
            {
                Add(r);
            }
        }

        foreach (var r in await RawSqliteAsync(options, [1, 16]))
        {
            Add(r);
        }

        // b. Raw gRPC.
        foreach (var r in await GrpcEchoAsync(options, [1, 32]))
        {
            Add(r);
        }

        // c. Orleans grain ping.
        foreach (var r in await GrainPingAsync(options, [1, 32]))
        {
            Add(r);
        }

        // d. Grain writes through RelationalGrainStorage.
        Add(await GrainWritesSqliteAsync(options));
        if (options.Postgres is not null)
        {
            Add(await GrainWritesPostgresAsync(options.Postgres, options));
        }

        return (results, notes);
    }

    private static async Task<List<BenchResult>> RawPostgresAsync(string connectionString, W0Options options, int[] concurrencies)
    {
        Console.WriteLine("a. raw PostgreSQL INSERT + COMMIT");
        var results = new List<BenchResult>();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.MaxPoolSize = Math.Max(builder.MaxPoolSize, concurrencies.Max() + 4);
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        await using (var setup = await dataSource.OpenConnectionAsync())
        {
            await setup.ExecuteAsync("""
                DROP TABLE IF EXISTS bench_w0_insert;
                CREATE TABLE bench_w0_insert (id BIGSERIAL PRIMARY KEY, seq BIGINT NOT NULL, payload TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
                """);
        }

        try
        {
            foreach (var concurrency in concurrencies)
            {
                results.Add(await Harness.RunTimedAsync("PostgreSQL raw INSERT+COMMIT", concurrency, options.Warmup, options.Duration, async seq =>
                {
                    // Same shape as the grain storage: pooled connection per op, one transaction, one statement, commit.
                    await using var connection = await dataSource.OpenConnectionAsync();
                    await using var transaction = await connection.BeginTransactionAsync();
                    await using var command = new NpgsqlCommand("INSERT INTO bench_w0_insert (seq, payload) VALUES ($1, $2)", connection, transaction);
                    command.Parameters.Add(new NpgsqlParameter { Value = seq });
                    command.Parameters.Add(new NpgsqlParameter { Value = s_payload });
                    await command.ExecuteNonQueryAsync();
                    await transaction.CommitAsync();
                }));
            }
        }
        finally
        {
            await using var cleanup = await dataSource.OpenConnectionAsync();
            await cleanup.ExecuteAsync("DROP TABLE IF EXISTS bench_w0_insert");
        }

        return results;
    }

    private static async Task<List<BenchResult>> RawSqliteAsync(W0Options options, int[] concurrencies)
    {
        Console.WriteLine("a'. raw SQLite INSERT + COMMIT (the project's SqlDatabase: WAL, synchronous=NORMAL, one writer)");
        var dir = TempDir();
        var results = new List<BenchResult>();
        try
        {
            await using var database = SqlDatabase.ForSqlite(Path.Combine(dir, "raw.db"));
            await using (var setup = await database.OpenAsync())
            {
                await setup.ExecuteAsync("CREATE TABLE bench_w0_insert (id INTEGER PRIMARY KEY AUTOINCREMENT, seq INTEGER NOT NULL, payload TEXT NOT NULL, created_at TEXT NOT NULL)");
            }

            foreach (var concurrency in concurrencies)
            {
                results.Add(await Harness.RunTimedAsync("SQLite raw INSERT+COMMIT", concurrency, options.Warmup, options.Duration, seq =>
                    database.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(
                        "INSERT INTO bench_w0_insert (seq, payload, created_at) VALUES (@seq, @payload, @at)",
                        transaction, ("@seq", seq), ("@payload", s_payload), ("@at", DateTimeOffset.UtcNow)))));
            }
        }
        finally
        {
            TryDelete(dir);
        }

        return results;
    }

    private static async Task<List<BenchResult>> GrpcEchoAsync(W0Options options, int[] concurrencies)
    {
        Console.WriteLine("b. raw gRPC unary echo (in-process Kestrel, HTTP/2 cleartext, loopback)");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<EchoHub>();
        await using var app = builder.Build();
        app.MapGrpcService<EchoServiceImpl>();
        await app.StartAsync();
        var results = new List<BenchResult>();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var channel = GrpcChannel.ForAddress(address);
            var client = new EchoService.EchoServiceClient(channel);
            var request = new EchoRequest { Text = "w0-calibration-echo-payload-32b!" };
            foreach (var concurrency in concurrencies)
            {
                results.Add(await Harness.RunTimedAsync("gRPC unary echo", concurrency, options.Warmup, options.Duration,
                    async _ => await client.EchoAsync(request)));
            }
        }
        finally
        {
            await app.StopAsync();
        }

        return results;
    }

    private static async Task<List<BenchResult>> GrainPingAsync(W0Options options, int[] concurrencies)
    {
        Console.WriteLine("c. Orleans grain ping (localhost silo; in-silo IGrainFactory and an external client via the gateway)");
        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        var results = new List<BenchResult>();
        await using var silo = await StartSiloAsync(silo => silo.UseLocalhostClustering(siloPort, gatewayPort));
        var clientBuilder = NewHostBuilder();
        clientBuilder.UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort));
        await using var clientHost = await HostLease.StartAsync(clientBuilder.Build());
        var inSilo = silo.Services.GetRequiredService<IGrainFactory>();
        var external = clientHost.Services.GetRequiredService<IClusterClient>();
        foreach (var concurrency in concurrencies)
        {
            results.Add(await Harness.RunTimedAsync("Orleans ping, in-silo caller", concurrency, options.Warmup, options.Duration,
                seq => inSilo.GetGrain<IBenchPingGrain>(seq % 256).PingAsync((int)seq)));
        }

        foreach (var concurrency in concurrencies)
        {
            results.Add(await Harness.RunTimedAsync("Orleans ping, external client via gateway", concurrency, options.Warmup, options.Duration,
                seq => external.GetGrain<IBenchPingGrain>(seq % 256).PingAsync((int)seq)));
        }

        return results;
    }

    private static async Task<BenchResult> GrainWritesSqliteAsync(W0Options options)
    {
        Console.WriteLine("d. grain writes, SQLite: ConfigureB2BTradeSilo (single node) + RelationalGrainStorage");
        var dir = TempDir();
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["B2BTrade:Mode"] = "SingleNode",
                ["B2BTrade:DataDir"] = dir,
                ["B2BTrade:Silo:SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["B2BTrade:Silo:GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            await using var silo = await StartSiloAsync(silo => silo.ConfigureB2BTradeSilo(configuration));
            return await GrainWritesAsync("Grain write, SQLite storage", silo, options);
        }
        finally
        {
            TryDelete(dir);
        }
    }

    private static async Task<BenchResult> GrainWritesPostgresAsync(string connectionString, W0Options options)
    {
        Console.WriteLine("d. grain writes, PostgreSQL: localhost silo + SqlDatabase.ForPostgres + RelationalGrainStorage");
        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        await using var silo = await StartSiloAsync(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort);
            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.AddSingleton(_ => SqlDatabase.ForPostgres(connectionString));
            silo.Services.AddSingleton<OutboxSignal>();
            // Registered exactly as SiloHosting does.
            silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Grains, (sp, _) =>
                new RelationalGrainStorage(sp.GetRequiredService<SqlDatabase>(), sp.GetRequiredService<Serializer>(), sp.GetRequiredService<OutboxSignal>(), sp.GetRequiredService<TimeProvider>()));
        });
        try
        {
            return await GrainWritesAsync("Grain write, PostgreSQL storage", silo, options);
        }
        finally
        {
            await using (var connection = await silo.Services.GetRequiredService<SqlDatabase>().OpenAsync())
            {
                await connection.ExecuteAsync("DELETE FROM grain_state WHERE state_name = 'bench'");
            }
        }
    }

    /// <summary>Warm-up activates every key once (its first write is the INSERT); the measured writes are UPDATEs, round-robin over the keys.</summary>
    private static Task<BenchResult> GrainWritesAsync(string scenario, HostLease silo, W0Options options)
    {
        var factory = silo.Services.GetRequiredService<IGrainFactory>();
        var run = Guid.NewGuid().ToString("N")[..8];
        var keys = options.WriteKeys;
        return Harness.RunCountAsync(scenario, 32, warmupOps: keys, ops: options.Writes,
            seq => factory.GetGrain<IBenchWriteGrain>($"{run}-{seq % keys}").WriteAsync());
    }

    private static HostApplicationBuilder NewHostBuilder()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        return builder;
    }

    private static Task<HostLease> StartSiloAsync(Action<ISiloBuilder> configure)
    {
        var builder = NewHostBuilder();
        builder.UseOrleans(configure);
        return HostLease.StartAsync(builder.Build());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "b2btrade-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>A started host that is stopped and disposed asynchronously (SqlDatabase is only IAsyncDisposable).</summary>
public sealed class HostLease : IAsyncDisposable
{
    private readonly IHost _host;

    private HostLease(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static async Task<HostLease> StartAsync(IHost host)
    {
        await host.StartAsync();
        return new HostLease(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        if (_host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }
    }
}
