using B2BTrade.Fault.Tests.Infrastructure;
using B2BTrade.Protos.Enterprise.V1;
using B2BTrade.Protos.Identity.V1;
using Grpc.Core;

namespace B2BTrade.Fault.Tests;

/// <summary>The single-node default is durable: SIGKILL loses nothing acknowledged, SIGTERM stops cleanly.</summary>
public sealed class SingleNodeFaultTests
{
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SingleNodeSurvivesKill9()
    {
        await using var node = await SingleNodeServer.StartAsync("kill9");
        await ServerLogsException.GuardAsync(
            async () =>
            {
                var email = TestData.NewEmail("kill9");
                var profile = TestData.Profile("福州闽江钢材贸易有限公司", TestData.KnownCreditCode);
                Enterprise created;
                using (var channel = node.OpenChannel())
                {
                    var identity = new IdentityService.IdentityServiceClient(channel);
                    var enterprises = new EnterpriseService.EnterpriseServiceClient(channel);
                    var token = await Accounts.RegisterAsync(identity, new OutboxFileCodes(node.DataDir), email, s_budget);
                    created = (await enterprises.CreateEnterpriseAsync(
                        new CreateEnterpriseRequest { RequestId = Guid.NewGuid().ToString(), Profile = profile },
                        Accounts.Bearer(token),
                        Deadline())).Enterprise;
                }

                Assert.False(string.IsNullOrEmpty(created.EnterpriseId), "CreateEnterprise answered without an enterprise id");
                node.Process.Kill();
                await node.StartProcessAsync();

                using var restarted = node.OpenChannel();
                var identityAfter = new IdentityService.IdentityServiceClient(restarted);
                var enterprisesAfter = new EnterpriseService.EnterpriseServiceClient(restarted);
                var auth = Accounts.Bearer(await Accounts.LoginAsync(identityAfter, email, TestData.Password, s_budget));

                var read = (await enterprisesAfter.GetEnterpriseAsync(new GetEnterpriseRequest { EnterpriseId = created.EnterpriseId }, auth, Deadline())).Enterprise;
                Assert.Equal(created.EnterpriseId, read.EnterpriseId);
                Assert.Equal(profile.LegalName, read.Profile.LegalName);
                Assert.Equal(profile.UnifiedSocialCreditCode, read.Profile.UnifiedSocialCreditCode);
                Assert.Equal(created.Profile, read.Profile);
                Assert.Equal(created.VerificationStatus, read.VerificationStatus);
                Assert.Equal(created.CreateTime, read.CreateTime);
                Assert.Contains(MemberRole.Admin, read.MyRoles);

                var listed = await WaitForListedAsync(enterprisesAfter, auth, created.EnterpriseId);
                Assert.Equal(profile.LegalName, listed.Profile.LegalName);
            },
            node.Tails);
    }

    [Fact]
    public async Task SingleNodeStopsCleanlyOnSigterm()
    {
        await using var node = await SingleNodeServer.StartAsync("sigterm");
        await ServerLogsException.GuardAsync(
            async () =>
            {
                var email = TestData.NewEmail("sigterm");
                using (var channel = node.OpenChannel())
                {
                    await Accounts.RegisterAsync(new IdentityService.IdentityServiceClient(channel), new OutboxFileCodes(node.DataDir), email, s_budget);
                }

                var exitCode = await node.Process.TerminateAsync(TimeSpan.FromSeconds(15));
                Assert.True(exitCode is not null, "the server was still running 15 s after SIGTERM");
                Assert.Equal(0, exitCode);

                // What was acknowledged before the stop is there after it.
                await node.StartProcessAsync();
                using var restarted = node.OpenChannel();
                var token = await Accounts.LoginAsync(new IdentityService.IdentityServiceClient(restarted), email, TestData.Password, s_budget);
                Assert.False(string.IsNullOrEmpty(token));
            },
            node.Tails);
    }

    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(15);

    /// <summary>The read model is fed by the grains; give it a few seconds to show the enterprise.</summary>
    private static async Task<Enterprise> WaitForListedAsync(EnterpriseService.EnterpriseServiceClient enterprises, Metadata auth, string enterpriseId)
    {
        var stop = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var page = await enterprises.ListMyEnterprisesAsync(new ListMyEnterprisesRequest { PageSize = 100 }, auth, Deadline());
            var found = page.Enterprises.FirstOrDefault(e => e.EnterpriseId == enterpriseId);
            if (found is not null)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < stop, $"ListMyEnterprises does not list {enterpriseId} after restart; it lists [{string.Join(", ", page.Enterprises.Select(e => e.EnterpriseId))}]");
            await Task.Delay(250);
        }
    }
}
