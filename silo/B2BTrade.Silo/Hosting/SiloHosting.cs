using System.Net;
using B2BTrade.Domain.Identity;
using B2BTrade.Grains.Infrastructure;
using B2BTrade.Silo.Data;
using B2BTrade.Silo.Files;
using B2BTrade.Silo.Messaging;
using B2BTrade.Silo.Push;
using B2BTrade.Silo.ReadModel;
using B2BTrade.Silo.Reminders;
using B2BTrade.Silo.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace B2BTrade.Silo.Hosting;

public static class SiloHosting
{
    public static B2BTradeOptions ReadOptions(IConfiguration configuration)
    {
        var options = configuration.GetSection(B2BTradeOptions.Section).Get<B2BTradeOptions>() ?? new B2BTradeOptions();
        options.Validate();
        return options;
    }

    /// <summary>Configures a silo for either run mode: localhost + SQLite, or Redis membership + PostgreSQL.</summary>
    public static ISiloBuilder ConfigureB2BTradeSilo(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = ReadOptions(configuration);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });

        if (options.Mode == RunMode.SingleNode)
        {
            silo.UseLocalhostClustering(options.Silo.SiloPort, options.Silo.GatewayPort);
        }
        else
        {
            silo.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(options.Redis!));
            silo.ConfigureEndpoints(IPAddress.Parse(options.Silo.AdvertisedIp), options.Silo.SiloPort, options.Silo.GatewayPort, listenOnAnyHostAddress: true);
        }

        return silo.AddB2BTradeGrainServices(options);
    }

    /// <summary>Everything a silo needs besides clustering: durable storage and reminders, the outbox, senders, password hashing.</summary>
    public static ISiloBuilder AddB2BTradeGrainServices(this ISiloBuilder silo, B2BTradeOptions options)
    {
        silo.AddReminders();
        B2BTrade.Grains.Infrastructure.RememberedGrainInterfaceTypes.Register(silo.Services);
        silo.Services.AddB2BTradeData(options);
        silo.Services.AddSingleton<IReminderTable, RelationalReminderTable>();
        silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Grains, (sp, _) =>
            new RelationalGrainStorage(sp.GetRequiredService<SqlDatabase>(), sp.GetRequiredService<Serializer>(), sp.GetRequiredService<OutboxSignal>(), sp.GetRequiredService<TimeProvider>()));
        silo.Services.TryAddSingleton(new PasswordHasher(options.PasswordHashIterations));
        silo.Services.AddSingleton<OutboxSignal>();
        silo.Services.AddHostedService<OutboxDispatcher>();
        silo.Services.AddSingleton<ICategoryUsage, ReadModelCategoryUsage>();
        silo.Services.AddSingleton<IListingHolds, StoredListingHolds>();
        silo.Services.AddSingleton<Orders.ListingHoldSweeper>();
        silo.Services.AddHostedService(sp => sp.GetRequiredService<Orders.ListingHoldSweeper>());
        silo.Services.TryAddSingleton(new B2BTrade.Grains.OrderSettings(options.OrderConfirmationWindow));
        silo.Services.TryAddSingleton(new B2BTrade.Grains.UploadSettings(options.UploadWindow));
        silo.Services.TryAddSingleton<IContractRenderer>(sp => new Contracts.ContractRenderer(options.ContractFontPath, sp.GetService<Microsoft.Extensions.Logging.ILogger<Contracts.ContractRenderer>>()));
        silo.Services.AddLivePush(options, listen: false);
        silo.Services.AddSingleton<IMessageSender>(sp => new OutboxMessageSender(
            sp.GetRequiredService<SqlDatabase>(), sp.GetRequiredService<TimeProvider>(),
            options.Mode == RunMode.SingleNode ? Path.Combine(options.DataDirFullPath, "outbox", "messages.jsonl") : null));
        return silo;
    }

    /// <summary>
    /// Live push: in-process on a single node (grains and streams share the instance); Redis pub/sub in a cluster,
    /// where API nodes listen and silos only publish.
    /// </summary>
    public static IServiceCollection AddLivePush(this IServiceCollection services, B2BTradeOptions options, bool listen)
    {
        if (options.Mode == RunMode.SingleNode)
        {
            services.TryAddSingleton<ILivePush, InProcessLivePush>();
        }
        else
        {
            services.TryAddSingleton<ILivePush>(sp => new RedisLivePush(options.Redis!, listen, sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<RedisLivePush>>()));
        }

        return services;
    }

    /// <summary>The database and read-model services both silos and API nodes use.</summary>
    public static IServiceCollection AddB2BTradeData(this IServiceCollection services, B2BTradeOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => options.Mode == RunMode.SingleNode
            ? SqlDatabase.ForSqlite(Path.Combine(options.DataDirFullPath, "b2btrade.db"), options.SqliteSynchronousFull)
            : SqlDatabase.ForPostgres(options.Postgres!));
        services.TryAddSingleton(sp => options.Mode == RunMode.SingleNode
            ? InboxDatabase.ForSqlite(sp.GetRequiredService<SqlDatabase>(), Path.Combine(options.DataDirFullPath, "inbox.db"), options.SqliteSynchronousFull)
            : InboxDatabase.InMainDatabase(sp.GetRequiredService<SqlDatabase>()));
        services.TryAddSingleton<ReadModelQueries>();
        services.TryAddSingleton<NegotiationQueries>();
        services.TryAddSingleton<OrderQueries>();
        services.TryAddSingleton<OutboxProjector>();
        services.TryAddSingleton<ReadModelRebuilder>();
        services.TryAddSingleton<IFileStore>(sp => options.Mode == RunMode.SingleNode
            ? new LocalFileStore(Path.Combine(options.DataDirFullPath, "files"))
            : new PostgresFileStore(sp.GetRequiredService<SqlDatabase>()));
        return services;
    }
}
