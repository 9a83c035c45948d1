using B2BTrade.Benchmarks.Echo;
using Grpc.Core;

namespace B2BTrade.Benchmarks;

public sealed class EchoServiceImpl : EchoService.EchoServiceBase
{
    public override Task<EchoReply> Echo(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(new EchoReply { Text = request.Text });
}
