using B2BTrade.Protos.Common.V1;
using B2BTrade.Protos.Identity.V1;
using Grpc.Core;

namespace B2BTrade.Fault.Tests.Infrastructure;

/// <summary>Registration and login the way a client that survives failures does them.</summary>
internal static class Accounts
{
    public static Metadata Bearer(string accessToken) => new() { { "authorization", $"Bearer {accessToken}" } };

    public static ContactAddress Email(string email) => new() { Email = email };

    /// <summary>
    /// Registers an enterprise user with a code read from <paramref name="codes"/>; returns the access token.
    /// Retryable failures are retried within <paramref name="budget"/>. When a call whose answer was lost
    /// turns out to have done its work (the retry is refused), the client goes on as a person would: a
    /// lost SendVerificationCode still delivered its code; after a lost Register it logs in, and if no
    /// account exists it asks for a new code once the resend interval has passed (reported to
    /// <paramref name="onRestart"/>, since it costs the user that wait).
    /// </summary>
    public static async Task<string> RegisterAsync(
        IdentityService.IdentityServiceClient identity,
        IVerificationCodes codes,
        string email,
        TimeSpan budget,
        Action<RpcException>? onRetry = null,
        Action<string>? onRestart = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var before = await codes.NewestIdAsync(email);
            var resendAfter = await SendCodeAsync(identity, email, budget, onRetry);
            var code = await codes.WaitForCodeAsync(email, before, TimeSpan.FromSeconds(30));

            RpcException? lost = null;
            try
            {
                var registered = await Transient.RetryAsync(
                    deadline => identity.RegisterAsync(
                        new RegisterRequest
                        {
                            Address = Email(email),
                            Code = code,
                            Password = TestData.Password,
                            AccountKind = AccountKind.Enterprise,
                            DisplayName = "故障测试用户",
                        },
                        deadline: deadline).ResponseAsync,
                    budget,
                    e =>
                    {
                        lost ??= e;
                        onRetry?.Invoke(e);
                    });
                return registered.Tokens.AccessToken;
            }
            catch (RpcException refused) when (lost is not null && !Transient.IsRetryable(refused))
            {
                try
                {
                    return await LoginAsync(identity, email, TestData.Password, budget, onRetry);
                }
                catch (RpcException login) when (login.StatusCode == StatusCode.Unauthenticated && attempt < 3)
                {
                    onRestart?.Invoke(
                        $"{email}: Register failed with {lost.StatusCode} ({lost.Status.Detail}); its retry with the same code was refused with "
                        + $"{refused.StatusCode} ({refused.Status.Detail}) and no account exists: new code after {resendAfter} s");
                    await Task.Delay(TimeSpan.FromSeconds(resendAfter + 1));
                }
            }
        }
    }

    /// <summary>SendVerificationCode with retries; the resend interval in seconds.</summary>
    private static async Task<int> SendCodeAsync(IdentityService.IdentityServiceClient identity, string email, TimeSpan budget, Action<RpcException>? onRetry)
    {
        var lost = false;
        try
        {
            var sent = await Transient.RetryAsync(
                deadline => identity.SendVerificationCodeAsync(
                    new SendVerificationCodeRequest { Address = Email(email), Purpose = VerificationPurpose.Register }, deadline: deadline).ResponseAsync,
                budget,
                e =>
                {
                    lost = true;
                    onRetry?.Invoke(e);
                });
            return sent.ResendAfterSeconds;
        }
        catch (RpcException e) when (lost && e.StatusCode == StatusCode.ResourceExhausted)
        {
            // The lost attempt sent the code; the retry fell into the resend interval.
            return 60;
        }
    }

    /// <summary>Password login; returns the access token.</summary>
    public static async Task<string> LoginAsync(
        IdentityService.IdentityServiceClient identity, string email, string password, TimeSpan budget, Action<RpcException>? onRetry = null)
    {
        var response = await Transient.RetryAsync(
            deadline => identity.LoginWithPasswordAsync(new LoginWithPasswordRequest { Address = Email(email), Password = password }, deadline: deadline).ResponseAsync,
            budget,
            onRetry);
        return response.Tokens.AccessToken;
    }
}
