using B2BTrade.GrpcApi.Auth;
using B2BTrade.GrpcApi.Interceptors;
using B2BTrade.GrpcApi.Services;
using B2BTrade.Domain.Identity;
using B2BTrade.Grains;
using B2BTrade.Silo.Hosting;
using Grpc.AspNetCore.Web;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.FileProviders;
using Orleans.Configuration;
using StackExchange.Redis;

namespace B2BTrade.GrpcApi.Extensions;

public static class HostingExtensions
{
    /// <summary>Single node: the silo runs in this process. Cluster: this process is an Orleans client of the silos.</summary>
    public static WebApplicationBuilder AddB2BTradeApi(this WebApplicationBuilder builder)
    {
        var options = SiloHosting.ReadOptions(builder.Configuration);
        builder.Services.AddSingleton(options);
        if (options.Mode == RunMode.SingleNode)
        {
            builder.UseOrleans(silo => silo.ConfigureB2BTradeSilo(builder.Configuration));
        }
        else
        {
            builder.UseOrleansClient(client =>
            {
                client.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = options.ClusterId;
                    o.ServiceId = options.ServiceId;
                });
                client.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(options.Redis!));
                B2BTrade.Grains.Infrastructure.RememberedGrainInterfaceTypes.Register(client.Services);
            });
            builder.Services.AddB2BTradeData(options);
            builder.Services.AddLivePush(options, listen: true);
            builder.Services.AddHostedService<LivePushListener>();
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddSingleton<OAuthClient>();
        builder.Services.AddHttpClient("oauth", c => c.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddHostedService<OperatorBootstrapper>();
        builder.Services.AddSingleton<B2BTrade.Silo.Search.CatalogSearchIndex>(_ => new B2BTrade.Silo.Search.CatalogSearchIndex());
        builder.Services.AddSingleton<ListingWatchHub>();
        builder.Services.AddSingleton<StreamQuota>();
        builder.Services.AddSingleton<CatalogSearchFeed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CatalogSearchFeed>());

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddSingleton(sp => new CachingJsonWebTokenHandler(sp.GetRequiredService<TokenService>().IsWithinLifetime));
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<TokenService, CachingJsonWebTokenHandler>((o, tokens, handler) =>
        {
            o.MapInboundClaims = false;
            o.TokenHandlers.Clear();
            o.TokenHandlers.Add(handler);
            o.TokenValidationParameters = tokens.ValidationParameters();
            o.Events = new JwtBearerEvents { OnTokenValidated = SessionValidation.OnTokenValidatedAsync, OnChallenge = SessionValidation.OnChallengeAsync };
        });
        builder.Services.AddAuthorization();

        builder.Services.AddGrpc(o =>
        {
            o.Interceptors.Add<ErrorInterceptor>();
            o.MaxReceiveMessageSize = 2 * 1024 * 1024;
            o.EnableDetailedErrors = false;
        }).AddServiceOptions<ContractGrpcService>(o => o.MaxReceiveMessageSize = ContractGrpcService.MaxVerifyDocumentBytes + 64 * 1024);
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks().AddCheck<ClusterHealthCheck>("cluster").AddCheck<CatalogSearchHealthCheck>("catalog-search");
        return builder;
    }

    public static WebApplication MapB2BTradeApi(this WebApplication app)
    {
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapGrpcService<IdentityGrpcService>();
        app.MapGrpcService<EnterpriseGrpcService>();
        app.MapGrpcService<FileGrpcService>();
        app.MapGrpcService<OperatorGrpcService>();
        app.MapGrpcService<CatalogGrpcService>();
        app.MapGrpcService<NegotiationGrpcService>();
        app.MapGrpcService<InboxGrpcService>();
        app.MapGrpcService<OrderGrpcService>();
        app.MapGrpcService<CartGrpcService>();
        app.MapGrpcService<ContractGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        app.MapHealthChecks("/healthz", new HealthCheckOptions());

        if (WebRoot(app) is { } webRoot)
        {
            var files = new PhysicalFileProvider(webRoot);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
            // Client-side routes fall back to the app shell; only for GET, so unknown gRPC methods still fail as gRPC.
            app.MapFallbackToFile("index.html", new StaticFileOptions { FileProvider = files }).WithMetadata(new HttpMethodMetadata(["GET", "HEAD"]));
        }

        return app;
    }

    private static string? WebRoot(WebApplication app)
    {
        var configured = app.Configuration["B2BTrade:WebRoot"];
        if (!string.IsNullOrEmpty(configured))
        {
            return Directory.Exists(configured) ? Path.GetFullPath(configured) : null;
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "clients", "web", "dist");
                if (File.Exists(Path.Combine(candidate, "index.html")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}

/// <summary>Healthy when a grain answers: the silo (or the cluster this client talks to) and its storage are up.</summary>
public sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<IUniqueClaimGrain>("health:probe").GetOwnerAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The cluster did not answer.", e);
        }
    }
}

/// <summary>Subscribes this API node to the cluster's push channel at start, before any stream opens.</summary>
public sealed class LivePushListener(B2BTrade.Grains.Infrastructure.ILivePush push) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        push is B2BTrade.Silo.Push.RedisLivePush redis ? redis.StartAsync().WaitAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
