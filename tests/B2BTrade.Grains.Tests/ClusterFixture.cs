using B2BTrade.Silo.Data;
using B2BTrade.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace B2BTrade.Grains.Tests;

/// <summary>An in-process silo over the project's real storage, reminder table and outbox: SQLite in a temporary folder.</summary>
public class ClusterFixture : IAsyncLifetime
{
    public string DataDir { get; } = Directory.CreateTempSubdirectory("b2btrade-grains-").FullName;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public SqlDatabase Database => (SqlDatabase)Cluster.GetSiloServiceProvider(Cluster.Silos[0].SiloAddress).GetRequiredService(typeof(SqlDatabase));

    public IServiceProvider SiloServices => Cluster.GetSiloServiceProvider(Cluster.Silos[0].SiloAddress);

    protected virtual Task<B2BTradeOptions> OptionsAsync() => Task.FromResult(new B2BTradeOptions { DataDir = DataDir });

    public async Task InitializeAsync()
    {
        var options = await OptionsAsync();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddB2BTradeGrainServices(options));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public virtual async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The same silo over PostgreSQL (the cluster mode's store): a fresh database on the server named by B2BTRADE_TEST_POSTGRES, live pushes over the Redis named by B2BTRADE_TEST_REDIS.</summary>
public sealed class PostgresClusterFixture : ClusterFixture
{
    private string? _database;
    private string? _adminConnection;

    protected override async Task<B2BTradeOptions> OptionsAsync()
    {
        _adminConnection = Environment.GetEnvironmentVariable("B2BTRADE_TEST_POSTGRES")
            ?? throw new InvalidOperationException("B2BTRADE_TEST_POSTGRES is not set: run the suite with tests/run-all.sh, which starts PostgreSQL.");
        _database = "b2b_grains_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new Npgsql.NpgsqlConnection(_adminConnection))
        {
            await admin.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {_database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connection = new Npgsql.NpgsqlConnectionStringBuilder(_adminConnection) { Database = _database }.ConnectionString;
        var redis = Environment.GetEnvironmentVariable("B2BTRADE_TEST_REDIS")
            ?? throw new InvalidOperationException("B2BTRADE_TEST_REDIS is not set: run the suite with tests/run-all.sh, which starts Redis.");
        return new B2BTradeOptions { Mode = RunMode.Cluster, Postgres = connection, Redis = redis, DataDir = DataDir };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Npgsql.NpgsqlConnection.ClearAllPools();
        await using var admin = new Npgsql.NpgsqlConnection(_adminConnection);
        await admin.OpenAsync();
        await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "sqlite";
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresClusterFixture>
{
    public const string Name = "postgres";
}

[Collection(ClusterCollection.Name)]
public sealed class SqliteAggregateGrainTests(ClusterFixture fixture) : AggregateGrainTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresAggregateGrainTests(PostgresClusterFixture fixture) : AggregateGrainTests(fixture);

[Collection(ClusterCollection.Name)]
public sealed class SqliteStorageTests(ClusterFixture fixture) : StorageTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresStorageTests(PostgresClusterFixture fixture) : StorageTests(fixture);
