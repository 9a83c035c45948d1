using B2BTrade.Protos.Enterprise.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace B2BTrade.Client.Tests;

public sealed class ErrorTranslationTests
{
    private static Google.Rpc.Status ValidationStatus() => new()
    {
        Code = (int)Code.InvalidArgument,
        Message = "2 fields are invalid",
        Details =
        {
            Any.Pack(new ErrorInfo { Reason = "VALIDATION_FAILED", Domain = "b2btrade" }),
            Any.Pack(new BadRequest
            {
                FieldViolations =
                {
                    new BadRequest.Types.FieldViolation { Field = "profile.unified_social_credit_code", Description = "统一社会信用代码校验位错误。", Reason = "INVALID_CHECK_CHARACTER" },
                    new BadRequest.Types.FieldViolation { Field = "profile.legal_name", Description = "请填写企业全称。", Reason = "REQUIRED" },
                },
            }),
            Any.Pack(new LocalizedMessage { Locale = "zh-CN", Message = "有2项填写有误" }),
        },
    };

    [Fact]
    public void InvalidArgumentBecomesValidationExceptionListingEveryBadField()
    {
        var error = B2BTradeException.FromRpcException(ValidationStatus().ToRpcException());

        var validation = Assert.IsType<B2BTradeValidationException>(error);
        Assert.Equal(StatusCode.InvalidArgument, validation.StatusCode);
        Assert.Equal("VALIDATION_FAILED", validation.Reason);
        Assert.Equal("b2btrade", validation.Domain);
        Assert.Equal("有2项填写有误", validation.LocalizedMessage);
        Assert.Equal("有2项填写有误", validation.Message);
        Assert.Equal(
            [
                new B2BTradeFieldViolation("profile.unified_social_credit_code", "统一社会信用代码校验位错误。", "INVALID_CHECK_CHARACTER"),
                new B2BTradeFieldViolation("profile.legal_name", "请填写企业全称。", "REQUIRED"),
            ],
            validation.FieldViolations);
        Assert.IsType<RpcException>(validation.InnerException);
    }

    [Fact]
    public void RateLimitCarriesRetryAfterFromErrorInfoMetadata()
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.ResourceExhausted,
            Message = "Too many codes",
            Details = { Any.Pack(new ErrorInfo { Reason = "CODE_SENT_TOO_OFTEN", Domain = "b2btrade", Metadata = { ["retry_after_seconds"] = "42" } }) },
        };

        var error = Assert.IsType<B2BTradeRateLimitedException>(B2BTradeException.FromRpcException(status.ToRpcException()));

        Assert.Equal(TimeSpan.FromSeconds(42), error.RetryAfter);
        Assert.Equal("CODE_SENT_TOO_OFTEN", error.Reason);
        Assert.Equal("42", error.Metadata["retry_after_seconds"]);
        Assert.True(error.IsTransient);
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument, typeof(B2BTradeValidationException))]
    [InlineData(StatusCode.NotFound, typeof(B2BTradeNotFoundException))]
    [InlineData(StatusCode.PermissionDenied, typeof(B2BTradePermissionDeniedException))]
    [InlineData(StatusCode.Unauthenticated, typeof(B2BTradeUnauthenticatedException))]
    [InlineData(StatusCode.AlreadyExists, typeof(B2BTradeConflictException))]
    [InlineData(StatusCode.Aborted, typeof(B2BTradeConflictException))]
    [InlineData(StatusCode.FailedPrecondition, typeof(B2BTradePreconditionException))]
    [InlineData(StatusCode.ResourceExhausted, typeof(B2BTradeRateLimitedException))]
    [InlineData(StatusCode.Unavailable, typeof(B2BTradeUnavailableException))]
    [InlineData(StatusCode.Internal, typeof(B2BTradeException))]
    public void EachStatusCodeMapsToItsTypedException(StatusCode code, System.Type expected)
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)code,
            Message = "server said no",
            Details = { Any.Pack(new ErrorInfo { Reason = "QUOTE_EXPIRED", Domain = "b2btrade" }) },
        };

        var error = B2BTradeException.FromRpcException(status.ToRpcException());

        Assert.IsType(expected, error);
        Assert.Equal(code, error.StatusCode);
        Assert.Equal("QUOTE_EXPIRED", error.Reason);
        Assert.Equal("server said no", error.Message);
    }

    [Fact]
    public void ErrorWithoutRichDetailsKeepsStatusCodeAndMessage()
    {
        var error = B2BTradeException.FromRpcException(new RpcException(new Grpc.Core.Status(StatusCode.NotFound, "Enterprise was not found.")));

        var notFound = Assert.IsType<B2BTradeNotFoundException>(error);
        Assert.Null(notFound.Reason);
        Assert.Empty(notFound.FieldViolations);
        Assert.Empty(notFound.Metadata);
        Assert.Equal("Enterprise was not found.", notFound.Message);
    }

    [Fact]
    public async Task ServerValidationErrorReachesCallerAsTypedExceptionWithFieldViolations()
    {
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Error(ValidationStatus())));
        using var client = TestSupport.CreateClient(server, tokens: TestSupport.Tokens("a1", "r1", TimeSpan.FromMinutes(10)));

        var error = await Assert.ThrowsAsync<B2BTradeValidationException>(() =>
            client.Enterprises.CreateAsync(new EnterpriseProfile { LegalName = "" }));

        Assert.Contains(error.FieldViolations, v => v.Field == "profile.unified_social_credit_code" && v.Reason == "INVALID_CHECK_CHARACTER");
        Assert.Single(server.Calls); // a validation error is final: never retried
    }

    [Fact]
    public async Task GrpcWebTransportSpeaksHttp11AndStillDeliversTypedErrors()
    {
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Error(ValidationStatus())));
        using var client = TestSupport.CreateClient(server, tokens: TestSupport.Tokens("a1", "r1", TimeSpan.FromMinutes(10)), transport: B2BTradeTransport.GrpcWeb);

        var error = await Assert.ThrowsAsync<B2BTradeValidationException>(() => client.Enterprises.GetAsync("ent_1"));

        Assert.Equal(2, error.FieldViolations.Count);
        var call = Assert.Single(server.Calls);
        Assert.Equal("application/grpc-web", call.ContentType);
        Assert.Equal(new Version(1, 1), call.HttpVersion);
        Assert.Equal("Bearer a1", call.Authorization);
    }

    [Fact]
    public async Task GrpcWebTransportStreamsDownloads()
    {
        var content = "%PDF-1.7"u8.ToArray();
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Ok(new B2BTrade.Protos.Files.V1.DownloadFileResponse
        {
            File = new B2BTrade.Protos.Files.V1.FileMetadata { FileId = "f_1", SizeBytes = content.Length },
            Data = Google.Protobuf.ByteString.CopyFrom(content),
        })));
        using var client = TestSupport.CreateClient(server, tokens: TestSupport.Tokens("a1", "r1", TimeSpan.FromMinutes(10)), transport: B2BTradeTransport.GrpcWeb);
        var destination = new MemoryStream();

        await client.Files.DownloadAsync("f_1", destination);

        Assert.Equal(content, destination.ToArray());
    }

    [Fact]
    public async Task EveryCallCarriesBearerTokenLanguageAndDeadline()
    {
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Ok(new GetEnterpriseResponse { Enterprise = new Enterprise { EnterpriseId = "ent_1" } })));
        using var client = TestSupport.CreateClient(server, tokens: TestSupport.Tokens("access-1", "r1", TimeSpan.FromMinutes(10)), language: "en-US");

        var enterprise = await client.Enterprises.GetAsync("ent_1");

        Assert.Equal("ent_1", enterprise.EnterpriseId);
        var call = Assert.Single(server.Calls);
        Assert.Equal("Bearer access-1", call.Authorization);
        Assert.Equal("en-US", call.AcceptLanguage);
        Assert.NotNull(call.Timeout); // the default 30 s deadline travels as grpc-timeout
        Assert.InRange(ParseTimeout(call.Timeout), TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30));
    }

    private static TimeSpan ParseTimeout(string value)
    {
        var amount = long.Parse(value[..^1], System.Globalization.CultureInfo.InvariantCulture);
        return value[^1] switch
        {
            'H' => TimeSpan.FromHours(amount),
            'M' => TimeSpan.FromMinutes(amount),
            'S' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMilliseconds(amount),
            'u' => TimeSpan.FromMicroseconds(amount),
            _ => TimeSpan.FromTicks(amount / 100),
        };
    }
}
