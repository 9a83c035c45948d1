using System.Net.Sockets;
using B2BTrade.Protos.Enterprise.V1;
using B2BTrade.Protos.Identity.V1;
using Grpc.Core;

namespace B2BTrade.Client.Tests;

public sealed class RetryPolicyTests
{
    private static readonly RetryPolicy s_policy = new(3, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));

    private static RpcException Error(StatusCode code, Exception? debug = null) => new(new Grpc.Core.Status(code, "x", debug));

    [Theory]
    [InlineData(StatusCode.Unavailable, true, true)]
    [InlineData(StatusCode.DeadlineExceeded, true, true)]
    [InlineData(StatusCode.Unavailable, false, false)]
    [InlineData(StatusCode.DeadlineExceeded, false, false)]
    [InlineData(StatusCode.InvalidArgument, true, false)]
    [InlineData(StatusCode.FailedPrecondition, true, false)]
    [InlineData(StatusCode.ResourceExhausted, true, false)]
    [InlineData(StatusCode.Aborted, true, false)]
    [InlineData(StatusCode.Internal, true, false)]
    public void OnlyTransientFailuresOfRepeatableCallsAreRetried(StatusCode code, bool idempotent, bool expected) =>
        Assert.Equal(expected, s_policy.ShouldRetry(Error(code), idempotent, retriesSoFar: 0));

    [Fact]
    public void NonIdempotentCallIsRetriedWhenTheConnectionWasNeverOpened()
    {
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused));

        Assert.True(s_policy.ShouldRetry(Error(StatusCode.Unavailable, refused), idempotent: false, retriesSoFar: 0));
        Assert.False(s_policy.ShouldRetry(Error(StatusCode.Unavailable, new HttpRequestException(HttpRequestError.ResponseEnded, "reset")), idempotent: false, retriesSoFar: 0));
    }

    [Fact]
    public void RetriesStopAtMaxRetries()
    {
        Assert.True(s_policy.ShouldRetry(Error(StatusCode.Unavailable), true, retriesSoFar: 2));
        Assert.False(s_policy.ShouldRetry(Error(StatusCode.Unavailable), true, retriesSoFar: 3));
        Assert.False(new RetryPolicy(0, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2)).ShouldRetry(Error(StatusCode.Unavailable), true, 0));
    }

    [Fact]
    public void BackoffDoublesWithJitterAndIsCapped()
    {
        var low = new RetryPolicy(10, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), () => 0.0);
        var high = new RetryPolicy(10, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), () => 1.0);

        Assert.Equal(TimeSpan.FromMilliseconds(50), low.GetDelay(0));
        Assert.Equal(TimeSpan.FromMilliseconds(100), high.GetDelay(0));
        Assert.Equal(TimeSpan.FromMilliseconds(200), high.GetDelay(1));
        Assert.Equal(TimeSpan.FromMilliseconds(400), high.GetDelay(2));
        Assert.Equal(TimeSpan.FromSeconds(2), high.GetDelay(8));
        Assert.Equal(TimeSpan.FromSeconds(1), low.GetDelay(30));
        for (var i = 0; i < 50; i++)
        {
            Assert.InRange(s_policy.GetDelay(1), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200));
        }
    }
}

public sealed class RetryTests
{
    private static B2BTradeTokens Session => TestSupport.Tokens("a1", "r1", TimeSpan.FromMinutes(10));

    [Fact]
    public async Task CreateEnterpriseRetriedAfterUnavailableSendsTheSameRequestIdEveryTime()
    {
        var attempts = 0;
        using var server = new FakeGrpcServer(call => Task.FromResult(++attempts < 3
            ? FakeReply.Error(StatusCode.Unavailable, "silo restarting")
            : FakeReply.Ok(new CreateEnterpriseResponse { Enterprise = new Enterprise { EnterpriseId = "ent_1" } })));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        var enterprise = await client.Enterprises.CreateAsync(new EnterpriseProfile { LegalName = "上海钢联贸易有限公司" });

        Assert.Equal("ent_1", enterprise.EnterpriseId);
        var requestIds = server.Calls.Select(c => c.Parse(CreateEnterpriseRequest.Parser).RequestId).ToList();
        Assert.Equal(3, requestIds.Count);
        Assert.Single(requestIds.Distinct());
        Assert.True(Guid.TryParse(requestIds[0], out _));
    }

    [Fact]
    public async Task CreateEnterpriseUsesTheCallersRequestIdAndRetriesAfterDeadlineExceeded()
    {
        var attempts = 0;
        using var server = new FakeGrpcServer(call => Task.FromResult(++attempts == 1
            ? FakeReply.Error(StatusCode.DeadlineExceeded)
            : FakeReply.Ok(new CreateEnterpriseResponse { Enterprise = new Enterprise { EnterpriseId = "ent_1" } })));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        await client.Enterprises.CreateAsync(new EnterpriseProfile(), requestId: "erp-order-4711");

        Assert.All(server.Calls, c => Assert.Equal("erp-order-4711", c.Parse(CreateEnterpriseRequest.Parser).RequestId));
        Assert.Equal(2, server.Calls.Count);
    }

    [Fact]
    public async Task TwoCreatesWithoutRequestIdGetDifferentRequestIds()
    {
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Ok(new CreateEnterpriseResponse { Enterprise = new Enterprise() })));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        await client.Enterprises.CreateAsync(new EnterpriseProfile());
        await client.Enterprises.CreateAsync(new EnterpriseProfile());

        Assert.Equal(2, server.Calls.Select(c => c.Parse(CreateEnterpriseRequest.Parser).RequestId).Distinct().Count());
    }

    [Fact]
    public async Task ReadsGiveUpAfterMaxRetriesWithUnavailableException()
    {
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Error(StatusCode.Unavailable, "down")));
        using var client = TestSupport.CreateClient(server, maxRetries: 2, tokens: Session);

        var error = await Assert.ThrowsAsync<B2BTradeUnavailableException>(() => client.Enterprises.GetAsync("ent_1"));

        Assert.True(error.IsTransient);
        Assert.Equal(3, server.Calls.Count); // first try + 2 retries
    }

    [Fact]
    public async Task NonIdempotentCallsWithoutRequestIdAreNeverRetried()
    {
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Error(StatusCode.Unavailable, "down")));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        await Assert.ThrowsAsync<B2BTradeUnavailableException>(() => client.Identity.LoginWithPasswordAsync("13812345678", "Passw0rd!"));
        await Assert.ThrowsAsync<B2BTradeUnavailableException>(() => client.Enterprises.SubmitVerificationAsync("ent_1"));
        await Assert.ThrowsAsync<B2BTradeUnavailableException>(() => client.Identity.SendVerificationCodeAsync("13812345678", VerificationPurpose.Login));

        Assert.Equal(3, server.Calls.Count);
    }

    [Fact]
    public async Task StaleEtagConflictIsReportedNotRetried()
    {
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Error(StatusCode.Aborted, "etag is stale")));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        var error = await Assert.ThrowsAsync<B2BTradeConflictException>(() => client.Enterprises.UpdateAsync("ent_1", new EnterpriseProfile(), "etag-1"));

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Single(server.Calls);
    }

    [Fact]
    public async Task CallerDeadlineInThePastFailsWithoutRetrying()
    {
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Ok(new GetEnterpriseResponse())));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        var error = await Assert.ThrowsAnyAsync<B2BTradeException>(() => client.Enterprises.GetAsync("ent_1", deadline: DateTime.UtcNow.AddSeconds(-1)));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Empty(server.Calls);
    }

    [Fact]
    public async Task CallerCancellationSurfacesAsOperationCanceledAndIsNotRetried()
    {
        using var cts = new CancellationTokenSource();
        using var server = new FakeGrpcServer(async _ =>
        {
            await cts.CancelAsync();
            return await new TaskCompletionSource<FakeReply>().Task; // never answers
        });
        using var client = TestSupport.CreateClient(server, tokens: Session);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.Enterprises.GetAsync("ent_1", cancellationToken: cts.Token));

        Assert.Single(server.Calls);
    }

    [Fact]
    public async Task ListMineFollowsPageTokensToTheEnd()
    {
        using var server = new FakeGrpcServer(call =>
        {
            var token = call.Parse(ListMyEnterprisesRequest.Parser).PageToken;
            var page = token switch
            {
                "" => new ListMyEnterprisesResponse { Enterprises = { new Enterprise { EnterpriseId = "e1" }, new Enterprise { EnterpriseId = "e2" } }, NextPageToken = "p2" },
                "p2" => new ListMyEnterprisesResponse { Enterprises = { new Enterprise { EnterpriseId = "e3" } } },
                _ => throw new InvalidOperationException(token),
            };
            return Task.FromResult(FakeReply.Ok(page));
        });
        using var client = TestSupport.CreateClient(server, tokens: Session);

        var ids = new List<string>();
        await foreach (var e in client.Enterprises.ListMineAsync(pageSize: 2))
        {
            ids.Add(e.EnterpriseId);
        }

        Assert.Equal(["e1", "e2", "e3"], ids);
    }
}
