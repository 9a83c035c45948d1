using B2BTrade.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// A standalone silo for cluster mode. On a single node the API host embeds the silo instead.
var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo.ConfigureB2BTradeSilo(builder.Configuration));
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
await builder.Build().RunAsync();
