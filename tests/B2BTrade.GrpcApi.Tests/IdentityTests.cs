using B2BTrade.Protos.Identity.V1;
using Grpc.Core;

namespace B2BTrade.GrpcApi.Tests;

[Collection(ApiCollection.Name)]
public sealed class IdentityTests(ApiFactory factory)
{
    private readonly Api _api = new(factory.NativeChannel(), factory);

    [Fact]
    public async Task RegisteredUserLogsInWithPasswordAndSeesMaskedPhone()
    {
        var phone = Api.UniquePhone();
        var registered = await _api.RegisterAsync(Api.Phone(phone));
        Assert.Equal(phone[..3] + "****" + phone[^4..], registered.User.MaskedPhone);
        Assert.DoesNotContain(phone, registered.ToString(), StringComparison.Ordinal);

        var login = await _api.Identity.LoginWithPasswordAsync(new LoginWithPasswordRequest { Address = Api.Phone("+86 " + phone), Password = Api.StrongPassword });
        Assert.Equal(registered.User.UserId, login.User.UserId);
        var me = await _api.Identity.GetCurrentUserAsync(new GetCurrentUserRequest(), Api.Bearer(login.Tokens.AccessToken));
        Assert.Equal(registered.User.UserId, me.User.UserId);
        Assert.InRange(login.Tokens.AccessTokenExpireTime.ToDateTimeOffset(), factory.Time.GetUtcNow().AddMinutes(14), factory.Time.GetUtcNow().AddMinutes(15));
    }

    [Fact]
    public async Task RegistrationRefusesWeakPasswordNamingTheFieldWithoutSpendingTheCode()
    {
        var email = Api.UniqueEmail();
        await _api.Identity.SendVerificationCodeAsync(new SendVerificationCodeRequest { Address = Api.Email(email), Purpose = VerificationPurpose.Register });
        var code = await _api.LatestCodeAsync(email);
        var error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Identity.RegisterAsync(
            new RegisterRequest { Address = Api.Email(email), Code = code, Password = "password1", AccountKind = AccountKind.Individual, DisplayName = "个人买家" }).ResponseAsync);
        Assert.Equal("password", Assert.Single(RpcAssert.Violations(error)).Field);

        var ok = await _api.Identity.RegisterAsync(new RegisterRequest { Address = Api.Email(email), Code = code, Password = Api.StrongPassword, AccountKind = AccountKind.Individual, DisplayName = "个人买家" });
        Assert.Equal(AccountKind.Individual, ok.User.AccountKind);
    }

    [Fact]
    public async Task ErrorsAreLocalisedByAcceptLanguage()
    {
        var request = new SendVerificationCodeRequest { Address = Api.Phone("12345"), Purpose = VerificationPurpose.Register };
        var zh = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Identity.SendVerificationCodeAsync(request, new Metadata { { "accept-language", "zh-CN" } }).ResponseAsync, "INVALID_PHONE");
        var en = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Identity.SendVerificationCodeAsync(request, new Metadata { { "accept-language", "en-US" } }).ResponseAsync, "INVALID_PHONE");
        Assert.Contains("手机号", RpcAssert.Violations(zh)[0].Description, StringComparison.Ordinal);
        Assert.Contains("mobile number", RpcAssert.Violations(en)[0].Description, StringComparison.Ordinal);
        Assert.Equal("address.phone", RpcAssert.Violations(en)[0].Field);
    }

    [Fact]
    public async Task SendingACodeAnswersTheSameForKnownAndUnknownAddresses()
    {
        var known = Api.UniqueEmail();
        await _api.RegisterAsync(Api.Email(known));
        var unknown = Api.UniqueEmail();
        foreach (var purpose in new[] { VerificationPurpose.Register, VerificationPurpose.Login, VerificationPurpose.ResetPassword })
        {
            factory.Time.Advance(TimeSpan.FromSeconds(61));
            var a = await _api.Identity.SendVerificationCodeAsync(new SendVerificationCodeRequest { Address = Api.Email(known), Purpose = purpose });
            var b = await _api.Identity.SendVerificationCodeAsync(new SendVerificationCodeRequest { Address = Api.Email(unknown), Purpose = purpose });
            Assert.Equal(a, b);
        }
    }

    [Fact]
    public async Task RegisteringAnExistingAddressSendsANoticeInsteadOfACode()
    {
        var email = Api.UniqueEmail();
        await _api.RegisterAsync(Api.Email(email));
        factory.Time.Advance(TimeSpan.FromSeconds(61));
        await _api.Identity.SendVerificationCodeAsync(new SendVerificationCodeRequest { Address = Api.Email(email), Purpose = VerificationPurpose.Register });
        var messages = await _api.Operator.ListOutboxMessagesAsync(new Protos.Operations.V1.ListOutboxMessagesRequest { Recipient = email, PageSize = 1 }, Api.Bearer(await _api.OperatorTokenAsync()));
        Assert.DoesNotMatch(@"\b\d{6}\b", messages.Messages[0].Body);
        Assert.Contains("已注册", messages.Messages[0].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPasswordAndUnknownAccountFailAlike()
    {
        var email = Api.UniqueEmail();
        await _api.RegisterAsync(Api.Email(email));
        var wrong = await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => _api.Identity.LoginWithPasswordAsync(new LoginWithPasswordRequest { Address = Api.Email(email), Password = "Wrong#pass1" }).ResponseAsync, "INVALID_CREDENTIALS");
        var unknown = await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => _api.Identity.LoginWithPasswordAsync(new LoginWithPasswordRequest { Address = Api.Email(Api.UniqueEmail()), Password = "Wrong#pass1" }).ResponseAsync, "INVALID_CREDENTIALS");
        Assert.Equal(wrong.Status.Detail, unknown.Status.Detail);
    }

    [Fact]
    public async Task FiveWrongPasswordsLockPasswordLoginButCodeLoginStillWorks()
    {
        var email = Api.UniqueEmail();
        await _api.RegisterAsync(Api.Email(email));
        for (var i = 0; i < 4; i++)
        {
            await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => _api.Identity.LoginWithPasswordAsync(new LoginWithPasswordRequest { Address = Api.Email(email), Password = "Wrong#pass1" }).ResponseAsync);
        }

        await RpcAssert.ThrowsAsync(StatusCode.ResourceExhausted, () => _api.Identity.LoginWithPasswordAsync(new LoginWithPasswordRequest { Address = Api.Email(email), Password = "Wrong#pass1" }).ResponseAsync, "LOGIN_LOCKED");
        await RpcAssert.ThrowsAsync(StatusCode.ResourceExhausted, () => _api.Identity.LoginWithPasswordAsync(new LoginWithPasswordRequest { Address = Api.Email(email), Password = Api.StrongPassword }).ResponseAsync, "LOGIN_LOCKED");

        factory.Time.Advance(TimeSpan.FromSeconds(61));
        await _api.Identity.SendVerificationCodeAsync(new SendVerificationCodeRequest { Address = Api.Email(email), Purpose = VerificationPurpose.Login });
        var byCode = await _api.Identity.LoginWithCodeAsync(new LoginWithCodeRequest { Address = Api.Email(email), Code = await _api.LatestCodeAsync(email) });
        Assert.NotEmpty(byCode.Tokens.AccessToken);
        var byPassword = await _api.Identity.LoginWithPasswordAsync(new LoginWithPasswordRequest { Address = Api.Email(email), Password = Api.StrongPassword });
        Assert.Equal(byCode.User.UserId, byPassword.User.UserId);
    }

    [Fact]
    public async Task GuessesSentAtOnceGetNoMoreThanFiveChecks()
    {
        // An attacker's review: thirty passwords at once, the right one 26th. Each was checked before the first failures
        // were counted, so the right one logged in. Now each attempt is counted before its password is checked.
        var email = Api.UniqueEmail();
        await _api.RegisterAsync(Api.Email(email));
        var attempts = Enumerable.Range(0, 30).Select(i => _api.Identity.LoginWithPasswordAsync(new LoginWithPasswordRequest
        {
            Address = Api.Email(email),
            Password = i == 25 ? Api.StrongPassword : $"Wrong#pass{i}",
        }).ResponseAsync).ToList();
        var outcomes = new List<string>();
        foreach (var attempt in attempts)
        {
            try
            {
                await attempt;
                outcomes.Add("OK");
            }
            catch (RpcException e)
            {
                outcomes.Add(RpcAssert.Reason(e)!);
            }
        }

        // Attempts take their turns: four wrong answers, the fifth locks, and everything after it is refused unchecked.
        Assert.Equal("LOGIN_LOCKED", outcomes[25]);
        Assert.All(outcomes, o => Assert.Contains(o, new[] { "INVALID_CREDENTIALS", "LOGIN_LOCKED" }));
        Assert.Equal(4, outcomes.Count(o => o == "INVALID_CREDENTIALS"));
        await RpcAssert.ThrowsAsync(StatusCode.ResourceExhausted, () => _api.Identity.LoginWithPasswordAsync(new LoginWithPasswordRequest { Address = Api.Email(email), Password = Api.StrongPassword }).ResponseAsync, "LOGIN_LOCKED");
    }

    [Fact]
    public async Task RightPasswordsSentAtOnceAllLogIn()
    {
        // An ERP's connection pool logging one account in from many workers at once must not lock it.
        var email = Api.UniqueEmail();
        var registered = await _api.RegisterAsync(Api.Email(email));
        var sessions = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            _api.Identity.LoginWithPasswordAsync(new LoginWithPasswordRequest { Address = Api.Email(email), Password = Api.StrongPassword }).ResponseAsync));
        Assert.All(sessions, s => Assert.Equal(registered.User.UserId, s.User.UserId));
        Assert.Equal(12, sessions.Select(s => s.Tokens.AccessToken).Distinct().Count());
    }

    [Fact]
    public async Task UnknownAddressesLockTheSameWaySoLockoutRevealsNothing()
    {
        var unknown = Api.UniqueEmail();
        for (var i = 0; i < 4; i++)
        {
            await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => _api.Identity.LoginWithPasswordAsync(new LoginWithPasswordRequest { Address = Api.Email(unknown), Password = "Wrong#pass1" }).ResponseAsync);
        }

        await RpcAssert.ThrowsAsync(StatusCode.ResourceExhausted, () => _api.Identity.LoginWithPasswordAsync(new LoginWithPasswordRequest { Address = Api.Email(unknown), Password = "Wrong#pass1" }).ResponseAsync, "LOGIN_LOCKED");
    }

    [Fact]
    public async Task ResendWithinSixtySecondsIsRateLimitedWithRetryAfter()
    {
        var email = Api.UniqueEmail();
        await _api.Identity.SendVerificationCodeAsync(new SendVerificationCodeRequest { Address = Api.Email(email), Purpose = VerificationPurpose.Register });
        var error = await RpcAssert.ThrowsAsync(StatusCode.ResourceExhausted, () => _api.Identity.SendVerificationCodeAsync(new SendVerificationCodeRequest { Address = Api.Email(email), Purpose = VerificationPurpose.Register }).ResponseAsync, "CODE_RESEND_TOO_SOON");
        var info = error.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>()!;
        Assert.InRange(int.Parse(info.Metadata["retry_after_seconds"], System.Globalization.CultureInfo.InvariantCulture), 1, 60);
    }

    [Fact]
    public async Task AnAddressGetsAtMostTenCodesPerChinaCalendarDay()
    {
        // Start just after midnight China time so ten resends 61 s apart stay within one day.
        var china = factory.Time.GetUtcNow().ToOffset(TimeSpan.FromHours(8));
        factory.Time.Advance(china.Date.AddDays(1).AddMinutes(5) - china.DateTime);
        var email = Api.UniqueEmail();
        for (var i = 0; i < 10; i++)
        {
            await _api.Identity.SendVerificationCodeAsync(new SendVerificationCodeRequest { Address = Api.Email(email), Purpose = VerificationPurpose.Register });
            factory.Time.Advance(TimeSpan.FromSeconds(61));
        }

        await RpcAssert.ThrowsAsync(StatusCode.ResourceExhausted, () => _api.Identity.SendVerificationCodeAsync(new SendVerificationCodeRequest { Address = Api.Email(email), Purpose = VerificationPurpose.Register }).ResponseAsync, "CODE_DAILY_LIMIT");
        factory.Time.Advance(TimeSpan.FromDays(1));
        await _api.Identity.SendVerificationCodeAsync(new SendVerificationCodeRequest { Address = Api.Email(email), Purpose = VerificationPurpose.Register });
    }

    [Fact]
    public async Task ExpiredCodeIsRefusedAndFiveWrongTriesKillTheCode()
    {
        var email = Api.UniqueEmail();
        await _api.Identity.SendVerificationCodeAsync(new SendVerificationCodeRequest { Address = Api.Email(email), Purpose = VerificationPurpose.Register });
        var code = await _api.LatestCodeAsync(email);
        var wrong = code == "000000" ? "111111" : "000000";
        for (var i = 0; i < 5; i++)
        {
            await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Identity.RegisterAsync(new RegisterRequest { Address = Api.Email(email), Code = wrong, Password = Api.StrongPassword, AccountKind = AccountKind.Individual, DisplayName = "x" }).ResponseAsync, "CODE_INVALID");
        }

        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Identity.RegisterAsync(new RegisterRequest { Address = Api.Email(email), Code = code, Password = Api.StrongPassword, AccountKind = AccountKind.Individual, DisplayName = "x" }).ResponseAsync, "CODE_INVALID");

        factory.Time.Advance(TimeSpan.FromSeconds(61));
        await _api.Identity.SendVerificationCodeAsync(new SendVerificationCodeRequest { Address = Api.Email(email), Purpose = VerificationPurpose.Register });
        var fresh = await _api.LatestCodeAsync(email);
        factory.Time.Advance(TimeSpan.FromMinutes(5));
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Identity.RegisterAsync(new RegisterRequest { Address = Api.Email(email), Code = fresh, Password = Api.StrongPassword, AccountKind = AccountKind.Individual, DisplayName = "x" }).ResponseAsync, "CODE_EXPIRED");
    }

    [Fact]
    public async Task RefreshRotatesTokensAndReusingASpentRefreshTokenEndsTheSession()
    {
        var user = await _api.RegisterAsync(Api.Email(Api.UniqueEmail()));
        var first = user.Tokens.RefreshToken;
        var rotated = await _api.Identity.RefreshTokenAsync(new RefreshTokenRequest { RefreshToken = first });
        Assert.NotEqual(first, rotated.Tokens.RefreshToken);

        await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => _api.Identity.RefreshTokenAsync(new RefreshTokenRequest { RefreshToken = first }).ResponseAsync, "REFRESH_TOKEN_REUSED");
        await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => _api.Identity.RefreshTokenAsync(new RefreshTokenRequest { RefreshToken = rotated.Tokens.RefreshToken }).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => _api.Identity.GetCurrentUserAsync(new GetCurrentUserRequest(), Api.Bearer(rotated.Tokens.AccessToken)).ResponseAsync);
    }

    [Fact]
    public async Task LogoutEverywhereAndPasswordChangeRevokeAccessTokensAtOnce()
    {
        var email = Api.UniqueEmail();
        var first = await _api.RegisterAsync(Api.Email(email));
        var second = await _api.Identity.LoginWithPasswordAsync(new LoginWithPasswordRequest { Address = Api.Email(email), Password = Api.StrongPassword });

        await _api.Identity.LogoutAsync(new LogoutRequest(), Api.Bearer(first.Tokens.AccessToken));
        await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => _api.Identity.GetCurrentUserAsync(new GetCurrentUserRequest(), Api.Bearer(first.Tokens.AccessToken)).ResponseAsync);
        await _api.Identity.GetCurrentUserAsync(new GetCurrentUserRequest(), Api.Bearer(second.Tokens.AccessToken));

        var changed = await _api.Identity.ChangePasswordAsync(new ChangePasswordRequest { CurrentPassword = Api.StrongPassword, NewPassword = "Copper#2027new" }, Api.Bearer(second.Tokens.AccessToken));
        await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => _api.Identity.GetCurrentUserAsync(new GetCurrentUserRequest(), Api.Bearer(second.Tokens.AccessToken)).ResponseAsync);
        await _api.Identity.GetCurrentUserAsync(new GetCurrentUserRequest(), Api.Bearer(changed.Tokens.AccessToken));
        await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => _api.Identity.LoginWithPasswordAsync(new LoginWithPasswordRequest { Address = Api.Email(email), Password = Api.StrongPassword }).ResponseAsync);

        var third = await _api.Identity.LoginWithPasswordAsync(new LoginWithPasswordRequest { Address = Api.Email(email), Password = "Copper#2027new" });
        var revoked = await _api.Identity.LogoutEverywhereAsync(new LogoutEverywhereRequest(), Api.Bearer(third.Tokens.AccessToken));
        Assert.Equal(2, revoked.RevokedSessions);
        await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => _api.Identity.GetCurrentUserAsync(new GetCurrentUserRequest(), Api.Bearer(changed.Tokens.AccessToken)).ResponseAsync);
    }

    [Fact]
    public async Task AnAccessTokenUsedManyTimesStillStopsWorkingWhenItExpires()
    {
        var user = await _api.RegisterAsync(Api.Email(Api.UniqueEmail()));
        for (var i = 0; i < 3; i++)
        {
            await _api.Identity.GetCurrentUserAsync(new GetCurrentUserRequest(), Api.Bearer(user.Tokens.AccessToken));
        }

        factory.Time.Advance(user.Tokens.AccessTokenExpireTime.ToDateTimeOffset() - factory.Time.GetUtcNow() + TimeSpan.FromMinutes(1));

        await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => _api.Identity.GetCurrentUserAsync(new GetCurrentUserRequest(), Api.Bearer(user.Tokens.AccessToken)).ResponseAsync, "UNAUTHENTICATED");
        var refreshed = await _api.Identity.RefreshTokenAsync(new RefreshTokenRequest { RefreshToken = user.Tokens.RefreshToken });
        await _api.Identity.GetCurrentUserAsync(new GetCurrentUserRequest(), Api.Bearer(refreshed.Tokens.AccessToken));
    }

    [Fact]
    public async Task PasswordResetByCodeReplacesThePasswordAndEndsSessions()
    {
        var phone = Api.UniquePhone();
        var user = await _api.RegisterAsync(Api.Phone(phone));
        await _api.Identity.SendVerificationCodeAsync(new SendVerificationCodeRequest { Address = Api.Phone(phone), Purpose = VerificationPurpose.ResetPassword });
        var code = await _api.LatestCodeAsync("+86" + phone);
        await _api.Identity.ResetPasswordAsync(new ResetPasswordRequest { Address = Api.Phone(phone), Code = code, NewPassword = "Nickel#2028new" });

        await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => _api.Identity.GetCurrentUserAsync(new GetCurrentUserRequest(), Api.Bearer(user.Tokens.AccessToken)).ResponseAsync);
        var login = await _api.Identity.LoginWithPasswordAsync(new LoginWithPasswordRequest { Address = Api.Phone(phone), Password = "Nickel#2028new" });
        Assert.Equal(user.User.UserId, login.User.UserId);
    }

    [Theory]
    [InlineData("native")]
    [InlineData("grpc-web")]
    public async Task GarbageTokensAreUnauthenticatedWithAReasonNotErrors(string transport)
    {
        var api = new Api(transport == "native" ? factory.NativeChannel() : factory.WebChannel(), factory);
        var error = await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => api.Identity.GetCurrentUserAsync(new GetCurrentUserRequest(), Api.Bearer("not-a-jwt", "en-US")).ResponseAsync, "UNAUTHENTICATED");
        Assert.Equal("en-US", error.GetRpcStatus()!.GetDetail<Google.Rpc.LocalizedMessage>()!.Locale);
        await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => api.Identity.GetCurrentUserAsync(new GetCurrentUserRequest()).ResponseAsync, "UNAUTHENTICATED");
        await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => _api.Identity.RefreshTokenAsync(new RefreshTokenRequest { RefreshToken = "u_x.s_y.zzzzzzzzzzzzzzzzzzzzzzzzzz" }).ResponseAsync);
    }
}
