using System.Collections.Concurrent;
using B2BTrade.Protos.Identity.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace B2BTrade.Client.Tests;

/// <summary>The token store on its own, with a fake refresh delegate and fake time.</summary>
public sealed class TokenManagerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));

    private B2BTradeTokens Expiring(string access, string refresh, TimeSpan lifetime) => new(access, _time.GetUtcNow() + lifetime, refresh, null);

    [Fact]
    public async Task FreshAccessTokenIsUsedWithoutRefreshing()
    {
        var refreshes = 0;
        using var tokens = new TokenManager((_, _) => { refreshes++; throw new InvalidOperationException(); }, _time, TimeSpan.FromSeconds(60), Expiring("a1", "r1", TimeSpan.FromMinutes(5)));

        Assert.Equal("a1", await tokens.GetAccessTokenAsync(CancellationToken.None));
        Assert.Equal(0, refreshes);
    }

    [Fact]
    public async Task ConcurrentCallersWithAnExpiringTokenShareOneRefresh()
    {
        var presented = new ConcurrentBag<string>();
        var release = new TaskCompletionSource();
        using var tokens = new TokenManager(
            async (refresh, _) =>
            {
                presented.Add(refresh);
                await release.Task;
                return Expiring("a2", "r2", TimeSpan.FromMinutes(15));
            },
            _time,
            TimeSpan.FromSeconds(60),
            Expiring("a1", "r1", TimeSpan.FromSeconds(30)));

        var callers = Enumerable.Range(0, 20).Select(_ => tokens.GetAccessTokenAsync(CancellationToken.None).AsTask()).ToList();
        release.SetResult();
        var accessTokens = await Task.WhenAll(callers);

        Assert.All(accessTokens, t => Assert.Equal("a2", t));
        Assert.Equal(["r1"], presented);
        Assert.Equal("r2", tokens.Current!.RefreshToken);
    }

    [Fact]
    public async Task RejectionOfATokenAlreadyReplacedDoesNotSpendTheNewRefreshToken()
    {
        var presented = new List<string>();
        using var tokens = new TokenManager(
            (refresh, _) =>
            {
                presented.Add(refresh);
                return Task.FromResult(Expiring("a-" + refresh, "r-next-" + refresh, TimeSpan.FromMinutes(15)));
            },
            _time,
            TimeSpan.FromSeconds(60),
            Expiring("a1", "r1", TimeSpan.FromMinutes(10)));

        // Two calls were both refused with a1; the first refreshes, the second must reuse the result.
        var first = await tokens.RefreshAfterRejectionAsync("a1", CancellationToken.None);
        var second = await tokens.RefreshAfterRejectionAsync("a1", CancellationToken.None);

        Assert.Equal("a-r1", first);
        Assert.Equal("a-r1", second);
        Assert.Equal(["r1"], presented);
    }

    [Fact]
    public async Task TokenIsRefreshedOnceItComesWithinTheMarginOfExpiry()
    {
        var refreshes = 0;
        using var tokens = new TokenManager(
            (_, _) => Task.FromResult(Expiring("a" + ++refreshes + 1, "r" + refreshes + 1, TimeSpan.FromMinutes(15))),
            _time,
            TimeSpan.FromSeconds(60),
            Expiring("a1", "r1", TimeSpan.FromMinutes(15)));

        await tokens.GetAccessTokenAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(13));
        await tokens.GetAccessTokenAsync(CancellationToken.None);
        Assert.Equal(0, refreshes);

        _time.Advance(TimeSpan.FromMinutes(1.5));
        await tokens.GetAccessTokenAsync(CancellationToken.None);
        Assert.Equal(1, refreshes);
    }

    [Fact]
    public async Task RefusedRefreshEndsTheSessionAndAnnouncesIt()
    {
        var announced = new List<B2BTradeTokens?>();
        using var tokens = new TokenManager(
            (_, _) => throw B2BTradeException.FromRpcException(new RpcException(new Grpc.Core.Status(StatusCode.Unauthenticated, "refresh token reused"))),
            _time,
            TimeSpan.FromSeconds(60),
            B2BTradeTokens.FromRefreshToken("r-stolen"));
        tokens.TokensChanged += (_, e) => announced.Add(e.Tokens);

        await Assert.ThrowsAsync<B2BTradeUnauthenticatedException>(() => tokens.GetAccessTokenAsync(CancellationToken.None).AsTask());

        Assert.Null(tokens.Current);
        Assert.Equal([null], announced);
        Assert.Null(await tokens.GetAccessTokenAsync(CancellationToken.None));
    }

    [Fact]
    public async Task TransientRefreshFailureKeepsTheSession()
    {
        var fail = true;
        using var tokens = new TokenManager(
            (_, _) => fail
                ? throw B2BTradeException.FromRpcException(new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "down")))
                : Task.FromResult(Expiring("a2", "r2", TimeSpan.FromMinutes(15))),
            _time,
            TimeSpan.FromSeconds(60),
            Expiring("a1", "r1", TimeSpan.FromSeconds(10)));

        await Assert.ThrowsAsync<B2BTradeUnavailableException>(() => tokens.GetAccessTokenAsync(CancellationToken.None).AsTask());
        Assert.Equal("r1", tokens.Current!.RefreshToken);

        fail = false;
        Assert.Equal("a2", await tokens.GetAccessTokenAsync(CancellationToken.None));
    }
}

/// <summary>Refresh through the whole client against an in-memory server that enforces refresh-token rotation.</summary>
public sealed class ClientSessionTests
{
    /// <summary>A server that rotates refresh tokens and, like the real one, kills the session when a spent token comes back.</summary>
    private sealed class RotatingIdentityServer
    {
        private readonly Lock _sync = new();
        private readonly HashSet<string> _spent = [];
        private int _generation = 1;

        public string ValidAccess { get; private set; } = "a1";

        public string ValidRefresh { get; private set; } = "r1";

        public int Refreshes { get; private set; }

        public bool SessionKilled { get; private set; }

        public TimeSpan AccessLifetime { get; set; } = TimeSpan.FromMinutes(15);

        public FakeReply Refresh(string presented)
        {
            lock (_sync)
            {
                if (!_spent.Add(presented) || presented != ValidRefresh)
                {
                    SessionKilled = true;
                    return FakeReply.Error(StatusCode.Unauthenticated, "refresh token reused");
                }

                Refreshes++;
                _generation++;
                ValidAccess = "a" + _generation;
                ValidRefresh = "r" + _generation;
                return FakeReply.Ok(new RefreshTokenResponse { Tokens = TestSupport.Pair(ValidAccess, ValidRefresh, AccessLifetime) });
            }
        }

        public FakeReply Authenticated(ReceivedCall call, Google.Protobuf.IMessage ok)
        {
            lock (_sync)
            {
                return !SessionKilled && call.Authorization == "Bearer " + ValidAccess
                    ? FakeReply.Ok(ok)
                    : FakeReply.Error(new Google.Rpc.Status { Code = (int)Code.Unauthenticated, Message = "token expired", Details = { Any.Pack(new ErrorInfo { Reason = "TOKEN_EXPIRED", Domain = "b2btrade" }) } });
            }
        }
    }

    private static FakeGrpcServer Serve(RotatingIdentityServer identity) => new(async call =>
    {
        await Task.Delay(5); // let concurrent calls overlap
        return call.Method switch
        {
            TestSupport.RefreshToken => identity.Refresh(call.Parse(RefreshTokenRequest.Parser).RefreshToken),
            TestSupport.GetCurrentUser => identity.Authenticated(call, new GetCurrentUserResponse { User = new User { UserId = "u_1" } }),
            TestSupport.LoginWithPassword => FakeReply.Ok(new LoginWithPasswordResponse { User = new User { UserId = "u_1" }, Tokens = TestSupport.Pair(identity.ValidAccess, identity.ValidRefresh, identity.AccessLifetime) }),
            _ => FakeReply.Error(StatusCode.Unimplemented),
        };
    });

    [Fact]
    public async Task LoginStoresTheSessionAndAnnouncesTheRefreshTokenToPersist()
    {
        var identity = new RotatingIdentityServer();
        using var server = Serve(identity);
        using var client = TestSupport.CreateClient(server);
        var persisted = new List<string?>();
        client.TokensChanged += (_, e) => persisted.Add(e.Tokens?.RefreshToken);

        var user = await client.Identity.LoginWithPasswordAsync("buyer@example.com", "Passw0rd!");
        var me = await client.Identity.GetCurrentUserAsync();

        Assert.Equal("u_1", user.UserId);
        Assert.Equal("u_1", me.UserId);
        Assert.Equal(["r1"], persisted);
        Assert.Equal("buyer@example.com", server.CallsTo(TestSupport.LoginWithPassword).Single().Parse(LoginWithPasswordRequest.Parser).Address.Email);
    }

    [Fact]
    public async Task CallRefusedAsUnauthenticatedIsRetriedOnceWithARefreshedToken()
    {
        var identity = new RotatingIdentityServer();
        using var server = Serve(identity);
        // The client believes a1 is good for 10 more minutes, but the server has revoked it.
        using var client = TestSupport.CreateClient(server, tokens: TestSupport.Tokens("a-revoked", "r1", TimeSpan.FromMinutes(10)));

        var user = await client.Identity.GetCurrentUserAsync();

        Assert.Equal("u_1", user.UserId);
        Assert.Equal(1, identity.Refreshes);
        Assert.Equal(["Bearer a-revoked", "Bearer a2"], server.CallsTo(TestSupport.GetCurrentUser).Select(c => c.Authorization));
        Assert.Equal("r2", client.Tokens!.RefreshToken);
    }

    [Fact]
    public async Task ConcurrentCallsNeverPresentTheSameRefreshTokenTwice()
    {
        var identity = new RotatingIdentityServer();
        using var server = Serve(identity);
        using var client = TestSupport.CreateClient(server, tokens: TestSupport.Tokens("a1", "r1", TimeSpan.FromSeconds(20)));

        var users = await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => client.Identity.GetCurrentUserAsync()));

        Assert.All(users, u => Assert.Equal("u_1", u.UserId));
        Assert.False(identity.SessionKilled);
        Assert.Equal(1, identity.Refreshes);
        Assert.Single(server.CallsTo(TestSupport.RefreshToken));
    }

    [Fact]
    public async Task ConcurrentCallsRefusedAsUnauthenticatedShareOneRefresh()
    {
        var identity = new RotatingIdentityServer();
        using var server = Serve(identity);
        using var client = TestSupport.CreateClient(server, tokens: TestSupport.Tokens("a-revoked", "r1", TimeSpan.FromMinutes(10)));

        var users = await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => client.Identity.GetCurrentUserAsync()));

        Assert.Equal(25, users.Length);
        Assert.False(identity.SessionKilled);
        Assert.Equal(1, identity.Refreshes);
    }

    [Fact]
    public async Task ResumingFromAStoredRefreshTokenRotatesItAndAnnouncesTheNewOne()
    {
        var identity = new RotatingIdentityServer();
        using var server = Serve(identity);
        using var client = TestSupport.CreateClient(server);
        var persisted = new List<string?>();
        client.TokensChanged += (_, e) => persisted.Add(e.Tokens?.RefreshToken);

        var user = await client.Identity.ResumeSessionAsync("r1");

        Assert.Equal("u_1", user.UserId);
        Assert.Equal(["r1", "r2"], persisted);
        Assert.Equal("Bearer a2", server.CallsTo(TestSupport.GetCurrentUser).Single().Authorization);
    }

    [Fact]
    public async Task SpentRefreshTokenEndsTheSessionWithUnauthenticated()
    {
        var identity = new RotatingIdentityServer();
        identity.Refresh("r1"); // another process already used r1
        using var server = Serve(identity);
        using var client = TestSupport.CreateClient(server, tokens: B2BTradeTokens.FromRefreshToken("r1"));

        await Assert.ThrowsAsync<B2BTradeUnauthenticatedException>(() => client.Identity.GetCurrentUserAsync());

        Assert.Null(client.Tokens);
        Assert.Empty(server.CallsTo(TestSupport.GetCurrentUser));
    }

    [Fact]
    public async Task LogoutForgetsTheTokensAndAnnouncesTheEndOfTheSession()
    {
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Ok(new LogoutResponse())));
        using var client = TestSupport.CreateClient(server, tokens: TestSupport.Tokens("a1", "r1", TimeSpan.FromMinutes(10)));
        var announced = new List<B2BTradeTokens?>();
        client.TokensChanged += (_, e) => announced.Add(e.Tokens);

        await client.Identity.LogoutAsync();

        Assert.Null(client.Tokens);
        Assert.Equal([null], announced);
        Assert.Equal("Bearer a1", server.Calls.Single().Authorization);
    }

    [Fact]
    public async Task WrongPasswordIsReportedWithoutAnyRefreshAttempt()
    {
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Error(StatusCode.Unauthenticated, "wrong password")));
        using var client = TestSupport.CreateClient(server, tokens: TestSupport.Tokens("a1", "r1", TimeSpan.FromMinutes(10)));

        await Assert.ThrowsAsync<B2BTradeUnauthenticatedException>(() => client.Identity.LoginWithPasswordAsync("13812345678", "nope"));

        Assert.Single(server.Calls);
        Assert.Equal("r1", client.Tokens!.RefreshToken);
    }
}
