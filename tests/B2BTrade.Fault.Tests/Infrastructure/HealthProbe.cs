using Google.Protobuf;
using Grpc.Core;

namespace B2BTrade.Fault.Tests.Infrastructure;

/// <summary>
/// grpc.health.v1.Health/Check without the Grpc.HealthCheck package: the request and response are
/// two tiny protobuf messages (HealthCheckRequest{string service = 1}, HealthCheckResponse{ServingStatus status = 1}).
/// </summary>
internal static class HealthProbe
{
    /// <summary>ServingStatus.SERVING.</summary>
    public const int Serving = 1;

    private static readonly Marshaller<byte[]> s_bytes = Marshallers.Create(b => b, b => b);
    private static readonly Method<byte[], byte[]> s_check = new(MethodType.Unary, "grpc.health.v1.Health", "Check", s_bytes, s_bytes);

    /// <summary>The serving status the server reports for <paramref name="service"/> ("" = the whole server).</summary>
    public static async Task<int> CheckAsync(CallInvoker invoker, string service = "")
    {
        var request = new byte[service.Length == 0 ? 0 : CodedOutputStream.ComputeTagSize(1) + CodedOutputStream.ComputeStringSize(service)];
        if (service.Length > 0)
        {
            var output = new CodedOutputStream(request);
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteString(service);
            output.Flush();
        }

        var response = await invoker.AsyncUnaryCall(s_check, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10)), request);
        var input = new CodedInputStream(response);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (tag == WireFormat.MakeTag(1, WireFormat.WireType.Varint))
            {
                return input.ReadEnum();
            }

            input.SkipLastField();
        }

        return 0;
    }
}
