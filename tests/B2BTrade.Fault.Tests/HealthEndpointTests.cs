using System.Net;
using B2BTrade.Fault.Tests.Infrastructure;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;

namespace B2BTrade.Fault.Tests;

/// <summary>What load balancers and orchestrators probe: gRPC health on both ports and /healthz.</summary>
public sealed class HealthEndpointTests
{
    [Fact]
    public async Task HealthAnswersServingOnBothPortsAndHealthzAnswers200()
    {
        await using var node = await SingleNodeServer.StartAsync("health");
        await ServerLogsException.GuardAsync(
            async () =>
            {
                using (var channel = node.OpenChannel())
                {
                    Assert.Equal(HealthProbe.Serving, await HealthProbe.CheckAsync(channel.CreateCallInvoker()));
                }

                using (var web = GrpcChannel.ForAddress(node.WebUrl, new GrpcChannelOptions
                {
                    HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, new HttpClientHandler()),
                    HttpVersion = HttpVersion.Version11,
                    HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
                }))
                {
                    Assert.Equal(HealthProbe.Serving, await HealthProbe.CheckAsync(web.CreateCallInvoker()));
                }

                using var http = new HttpClient();
                using var response = await http.GetAsync(new Uri(node.WebUrl, "/healthz"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            },
            node.Tails);
    }
}
