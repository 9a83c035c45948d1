using System.Collections.Concurrent;
using System.Diagnostics;
using B2BTrade.Fault.Tests.Infrastructure;
using B2BTrade.Protos.Enterprise.V1;
using B2BTrade.Protos.Identity.V1;
using B2BTrade.Protos.Operations.V1;
using Grpc.Core;
using Xunit.Abstractions;

namespace B2BTrade.Fault.Tests;

/// <summary>Two silos on PostgreSQL + Redis; one is SIGKILLed under traffic and nothing acknowledged is lost.</summary>
public sealed class ClusterFaultTests(ITestOutputHelper output)
{
    private const int Users = 30;
    private const int RegisteredBeforeKill = 20;
    private const int KillAfterAcknowledged = 10;

    // Per call, retries included. Orleans needs some seconds (missed probes) to declare a killed silo
    // dead before grains it hosted activate elsewhere; a call caught in that window is retried.
    private static readonly TimeSpan s_retryBudget = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task ClusterSurvivesSiloKill()
    {
        await using var cluster = await LocalCluster.StartFromEnvironmentAsync("cluster");
        await ServerLogsException.GuardAsync(() => RunTrafficAndKillAsync(cluster), cluster.Tails);
    }

    /// <summary>
    /// Users 0–19 register first; then their creates (4 at a time) run alongside users 20–29 registering
    /// and creating (2 at a time), and silo1 is SIGKILLed when the 10th create is acknowledged, so
    /// creates and registrations are in flight when it dies.
    /// </summary>
    private async Task RunTrafficAndKillAsync(LocalCluster cluster)
    {
        using var channel = cluster.OpenChannel();
        var identity = new IdentityService.IdentityServiceClient(channel);
        var enterprises = new EnterpriseService.EnterpriseServiceClient(channel);
        var operators = new OperatorService.OperatorServiceClient(channel);

        // The operator login doubles as the readiness check: the API answers only once it reaches the silos.
        var operatorAuth = Accounts.Bearer(await Accounts.LoginAsync(identity, LocalCluster.OperatorEmail, LocalCluster.OperatorPassword, TimeSpan.FromSeconds(60)));
        var codes = new OperatorOutboxCodes(operators, operatorAuth);

        var emails = Enumerable.Range(0, Users).Select(u => TestData.NewEmail($"cluster{u:00}")).ToArray();
        var tokens = new ConcurrentDictionary<int, string>();
        var acknowledged = new ConcurrentDictionary<int, Acknowledged>();
        var failures = new ConcurrentBag<string>();
        var restarts = new ConcurrentBag<string>();
        var retries = new ConcurrentDictionary<StatusCode, int>();
        var retriedCreates = new ConcurrentDictionary<int, bool>();
        var ackCount = 0;
        var killedAt = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();

        void Retried(RpcException e) => retries.AddOrUpdate(e.StatusCode, 1, (_, n) => n + 1);

        async Task RegisterAsync(int user) =>
            tokens[user] = await Accounts.RegisterAsync(identity, codes, emails[user], s_retryBudget, Retried, restarts.Add);

        async Task CreateAsync(int user)
        {
            var request = new CreateEnterpriseRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                Profile = TestData.Profile($"福州第{user:00}钢铁贸易有限公司", TestData.NewCreditCode()),
            };
            var started = clock.Elapsed;
            var response = await Transient.RetryAsync(
                deadline => enterprises.CreateEnterpriseAsync(request, Accounts.Bearer(tokens[user]), deadline).ResponseAsync,
                s_retryBudget,
                e =>
                {
                    Retried(e);
                    retriedCreates[user] = true;
                });
            acknowledged[user] = new Acknowledged(tokens[user], request, response.Enterprise.EnterpriseId, clock.Elapsed - started);
            if (Interlocked.Increment(ref ackCount) == KillAfterAcknowledged)
            {
                killedAt = clock.Elapsed;
                output.WriteLine($"{killedAt.TotalSeconds:0.0}s: {KillAfterAcknowledged} enterprises acknowledged, SIGKILL silo1 (pid {cluster.Silo1.Id})");
                cluster.Silo1.Kill();
            }
        }

        async Task RunAsync(IEnumerable<int> users, int concurrency, Func<int, Task> work)
        {
            using var gate = new SemaphoreSlim(concurrency);
            await Task.WhenAll(users.Select(async user =>
            {
                await gate.WaitAsync();
                try
                {
                    await work(user);
                }
                catch (Exception e)
                {
                    failures.Add($"user {user}: {e.GetType().Name}: {e.Message}");
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        await RunAsync(Enumerable.Range(0, RegisteredBeforeKill), 6, RegisterAsync);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: {tokens.Count} users registered");
        Assert.True(failures.IsEmpty, $"registration before any fault failed:\n{string.Join('\n', failures)}");

        await Task.WhenAll(
            RunAsync(Enumerable.Range(0, RegisteredBeforeKill), 4, CreateAsync),
            RunAsync(Enumerable.Range(RegisteredBeforeKill, Users - RegisteredBeforeKill), 2, async user =>
            {
                await RegisterAsync(user);
                await CreateAsync(user);
            })).WaitAsync(TimeSpan.FromMinutes(6));

        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: traffic done; retries by status: {string.Join(", ", retries.Select(r => $"{r.Key}={r.Value}"))}; "
            + $"creates retried: {retriedCreates.Count}; slowest create: {acknowledged.Values.Select(a => a.Took.TotalSeconds).DefaultIfEmpty(0).Max():0.0}s");
        foreach (var restart in restarts)
        {
            output.WriteLine($"registration restarted: {restart}");
        }

        Assert.True(killedAt > TimeSpan.Zero, $"silo1 was never killed: only {ackCount} enterprises were acknowledged. Failures:\n{string.Join('\n', failures)}");
        Assert.True(failures.IsEmpty, $"{failures.Count} of {Users} users did not complete within the retry budget:\n{string.Join('\n', failures)}");
        Assert.Equal(Users, acknowledged.Count);
        cluster.Silo2.ThrowIfExited("after silo1 was killed");
        cluster.Api.ThrowIfExited("after silo1 was killed");

        // Every acknowledged enterprise is readable, and each user (retried or not) owns exactly one.
        var problems = new List<string>();
        foreach (var (user, ack) in acknowledged.OrderBy(a => a.Key))
        {
            var auth = Accounts.Bearer(ack.Token);
            var read = await Transient.RetryAsync(
                deadline => enterprises.GetEnterpriseAsync(new GetEnterpriseRequest { EnterpriseId = ack.EnterpriseId }, auth, deadline).ResponseAsync,
                s_retryBudget);
            if (read.Enterprise.Profile.LegalName != ack.Request.Profile.LegalName
                || read.Enterprise.Profile.UnifiedSocialCreditCode != ack.Request.Profile.UnifiedSocialCreditCode)
            {
                problems.Add($"user {user}: GetEnterprise({ack.EnterpriseId}) returned {read.Enterprise.Profile} for request {ack.Request.Profile}");
            }

            var mine = await WaitForListedAsync(enterprises, auth, ack.EnterpriseId);
            if (mine.Count != 1 || mine[0] != ack.EnterpriseId)
            {
                var retried = retriedCreates.ContainsKey(user) ? "retried" : "not retried";
                problems.Add($"user {user} ({retried} create, request_id {ack.Request.RequestId}): ListMyEnterprises = [{string.Join(", ", mine)}], acknowledged {ack.EnterpriseId}");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    /// <summary>The caller's enterprise ids once the read model lists <paramref name="expected"/> (or after 20 s).</summary>
    private static async Task<List<string>> WaitForListedAsync(EnterpriseService.EnterpriseServiceClient enterprises, Metadata auth, string expected)
    {
        var stop = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var page = await Transient.RetryAsync(
                deadline => enterprises.ListMyEnterprisesAsync(new ListMyEnterprisesRequest { PageSize = 100 }, auth, deadline).ResponseAsync,
                s_retryBudget);
            var ids = page.Enterprises.Select(e => e.EnterpriseId).ToList();
            if (ids.Contains(expected) || DateTime.UtcNow > stop)
            {
                return ids;
            }

            await Task.Delay(250);
        }
    }

    private sealed record Acknowledged(string Token, CreateEnterpriseRequest Request, string EnterpriseId, TimeSpan Took);
}
