using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Core;

namespace B2BTrade.Client.Tests;

/// <summary>One request the fake server received.</summary>
internal sealed record ReceivedCall(string Method, byte[] Message, string? Authorization, string? AcceptLanguage, string? Timeout, string ContentType, Version HttpVersion)
{
    public T Parse<T>(MessageParser<T> parser) where T : IMessage<T> => parser.ParseFrom(Message);
}

/// <summary>What the fake server answers: zero or more messages, then a status (with optional google.rpc.Status details).</summary>
internal sealed record FakeReply(IReadOnlyList<IMessage> Messages, StatusCode Code, string Detail, Google.Rpc.Status? RichStatus)
{
    public static FakeReply Ok(params IMessage[] messages) => new(messages, StatusCode.OK, string.Empty, null);

    public static FakeReply Error(StatusCode code, string detail = "") => new([], code, detail, null);

    public static FakeReply Error(Google.Rpc.Status status) => new([], (StatusCode)status.Code, status.Message, status);
}

/// <summary>
/// An in-memory gRPC server speaking the real wire format (length-prefixed messages, grpc-status trailers,
/// grpc-status-details-bin), plugged into the SDK through <see cref="B2BTradeClientOptions.HttpMessageHandler"/>.
/// </summary>
internal sealed class FakeGrpcServer(Func<ReceivedCall, Task<FakeReply>> handle) : HttpMessageHandler
{
    public ConcurrentQueue<ReceivedCall> Calls { get; } = new();

    public IEnumerable<ReceivedCall> CallsTo(string method) => Calls.Where(c => c.Method == method);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        var message = body.Length >= 5 ? body[5..] : [];
        var call = new ReceivedCall(
            request.RequestUri!.AbsolutePath,
            message,
            request.Headers.TryGetValues("authorization", out var auth) ? auth.Single() : null,
            request.Headers.TryGetValues("accept-language", out var lang) ? string.Join(",", lang) : null,
            request.Headers.TryGetValues("grpc-timeout", out var timeout) ? timeout.Single() : null,
            request.Content.Headers.ContentType?.MediaType ?? string.Empty,
            request.Version);
        Calls.Enqueue(call);
        var reply = await handle(call).WaitAsync(cancellationToken); // like a real transport, gives up when the call is cancelled

        var payload = new MemoryStream();
        foreach (var m in reply.Messages)
        {
            var bytes = m.ToByteArray();
            var prefix = new byte[5];
            BinaryPrimitives.WriteUInt32BigEndian(prefix.AsSpan(1), (uint)bytes.Length);
            payload.Write(prefix);
            payload.Write(bytes);
        }

        var trailers = new List<KeyValuePair<string, string>> { new("grpc-status", ((int)reply.Code).ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        if (!string.IsNullOrEmpty(reply.Detail))
        {
            trailers.Add(new("grpc-message", Uri.EscapeDataString(reply.Detail)));
        }

        if (reply.RichStatus is not null)
        {
            trailers.Add(new("grpc-status-details-bin", Convert.ToBase64String(reply.RichStatus.ToByteArray())));
        }

        var grpcWeb = call.ContentType.StartsWith("application/grpc-web", StringComparison.Ordinal);
        if (grpcWeb)
        {
            // gRPC-Web carries the trailers as a final frame of the body (flag 0x80).
            var block = System.Text.Encoding.ASCII.GetBytes(string.Concat(trailers.Select(t => $"{t.Key}: {t.Value}\r\n")));
            var prefix = new byte[5];
            prefix[0] = 0x80;
            BinaryPrimitives.WriteUInt32BigEndian(prefix.AsSpan(1), (uint)block.Length);
            payload.Write(prefix);
            payload.Write(block);
        }

        var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            Version = grpcWeb ? HttpVersion.Version11 : HttpVersion.Version20,
            RequestMessage = request,
            Content = new ByteArrayContent(payload.ToArray()),
        };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue(grpcWeb ? "application/grpc-web" : "application/grpc");
        if (!grpcWeb)
        {
            foreach (var (key, value) in trailers)
            {
                response.TrailingHeaders.Add(key, value);
            }
        }

        return response;
    }
}
