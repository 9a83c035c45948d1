using B2BTrade.Client;
using B2BTrade.Protos.Enterprise.V1;
using B2BTrade.Protos.Identity.V1;

namespace B2BTrade.GrpcApi.Tests;

/// <summary>The C# SDK against the real host, as an ERP integrator would use it.</summary>
[Collection(ApiCollection.Name)]
public sealed class SdkTests(ApiFactory factory)
{
    private B2BTradeClient Client(B2BTradeTransport transport) => new(new B2BTradeClientOptions
    {
        Address = factory.Server.BaseAddress,
        Transport = transport,
        HttpMessageHandler = factory.Server.CreateHandler(),
    });

    private async Task<string> CodeAsync(string recipient)
    {
        using var operatorClient = Client(B2BTradeTransport.NativeGrpc);
        await operatorClient.Identity.LoginWithPasswordAsync(ApiFactory.OperatorEmail, ApiFactory.OperatorPassword);
        await foreach (var message in operatorClient.Operations.ListOutboxMessagesAsync(recipient, 1))
        {
            return System.Text.RegularExpressions.Regex.Match(message.Body, @"\b(\d{6})\b").Groups[1].Value;
        }

        throw new InvalidOperationException("No code was sent.");
    }

    [Theory]
    [InlineData(B2BTradeTransport.NativeGrpc)]
    [InlineData(B2BTradeTransport.GrpcWeb)]
    public async Task IntegratorRegistersCreatesAnEnterpriseOnceAndGetsTypedErrors(B2BTradeTransport transport)
    {
        using var client = Client(transport);
        var email = Api.UniqueEmail();
        await client.Identity.SendVerificationCodeAsync(email, VerificationPurpose.Register);
        var user = await client.Identity.RegisterAsync(email, await CodeAsync(email), Api.StrongPassword, AccountKind.Enterprise, "ERP 对接账号");
        Assert.NotNull(client.Tokens);

        var requestId = Guid.NewGuid().ToString();
        var profile = Api.Profile("ERP对接测试有限公司");
        var first = await client.Enterprises.CreateAsync(profile, requestId);
        var retried = await client.Enterprises.CreateAsync(profile, requestId);
        Assert.Equal(first.EnterpriseId, retried.EnterpriseId);

        var bad = profile.Clone();
        bad.UnifiedSocialCreditCode = "123";
        var error = await Assert.ThrowsAsync<B2BTradeValidationException>(() => client.Enterprises.CreateAsync(bad));
        Assert.Contains(error.FieldViolations, v => v.Field == "profile.unified_social_credit_code" && v.Reason == "INVALID_CREDIT_CODE");

        await Assert.ThrowsAsync<B2BTradeNotFoundException>(() => client.Enterprises.GetAsync("ent_0000000000000000000000"));
        Assert.Equal(user.UserId, (await client.Identity.GetCurrentUserAsync()).UserId);
    }

    [Fact]
    public async Task ExpiredAccessTokenIsRefreshedTransparently()
    {
        using var client = Client(B2BTradeTransport.NativeGrpc);
        var email = Api.UniqueEmail();
        await client.Identity.SendVerificationCodeAsync(email, VerificationPurpose.Register);
        var user = await client.Identity.RegisterAsync(email, await CodeAsync(email), Api.StrongPassword, AccountKind.Individual, "自动刷新");
        var before = client.Tokens!.RefreshToken;

        factory.Time.Advance(TimeSpan.FromMinutes(16));
        var me = await client.Identity.GetCurrentUserAsync();
        Assert.Equal(user.UserId, me.UserId);
        Assert.NotEqual(before, client.Tokens!.RefreshToken);
    }
}
