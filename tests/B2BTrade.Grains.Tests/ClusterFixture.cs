using B2BTrade.Silo.Data;
using B2BTrade.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace B2BTrade.Grains.Tests;

/// <summary>An in-process silo over the project's real SQLite storage, reminder table and outbox in a temporary folder.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public string DataDir { get; } = Directory.CreateTempSubdirectory("b2btrade-grains-").FullName;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public SqlDatabase Database => (SqlDatabase)Cluster.GetSiloServiceProvider(Cluster.Silos[0].SiloAddress).GetRequiredService(typeof(SqlDatabase));

    public IServiceProvider SiloServices => Cluster.GetSiloServiceProvider(Cluster.Silos[0].SiloAddress);

    public async Task InitializeAsync()
    {
        var options = new B2BTradeOptions { DataDir = DataDir };
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddB2BTradeGrainServices(options));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
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

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
