using System.Text.Json;
using B2BTrade.Domain.Common;
using B2BTrade.Domain.Identity;

namespace B2BTrade.Domain.Tests.Identity;

public class UserAccountTests
{
    private static readonly DateTimeOffset s_t0 = new(2025, 3, 14, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RegisterFilesTheAddressUnderItsKind()
    {
        var byPhone = NewAccount();
        var byEmail = UserAccount.Register(Ids.NewId("u"), "Li", AccountKind.Enterprise, ContactAddress.ParseEmail("li@steel.cn", "email"), "h", s_t0);

        Assert.Equal("+8613812345678", byPhone.Phone?.Value);
        Assert.Null(byPhone.Email);
        Assert.Equal("li@steel.cn", byEmail.Email?.Value);
        Assert.Null(byEmail.Phone);
    }

    [Fact]
    public void KeepsAtMostTwentyLiveSessionsDroppingTheOldest()
    {
        var account = NewAccount();
        var ids = new List<string>();
        for (var i = 0; i < 21; i++)
        {
            (account, var session, _) = account.StartSession(s_t0.AddMinutes(i));
            ids.Add(session.SessionId);
        }

        Assert.Equal(UserAccount.MaxSessions, account.Sessions.Count);
        Assert.False(account.HasLiveSession(ids[0], account.SecurityStamp, s_t0.AddHours(1)));
        Assert.All(ids.Skip(1), id => Assert.True(account.HasLiveSession(id, account.SecurityStamp, s_t0.AddHours(1))));
    }

    [Fact]
    public void ExpiredSessionsAreDroppedWhenANewOneStarts()
    {
        var (account, old, _) = NewAccount().StartSession(s_t0);
        var later = s_t0 + UserAccount.RefreshTokenLifetime + TimeSpan.FromSeconds(1);

        (account, var fresh, _) = account.StartSession(later);

        Assert.Equal(fresh.SessionId, Assert.Single(account.Sessions).SessionId);
        Assert.False(account.HasLiveSession(old.SessionId, account.SecurityStamp, later));
    }

    [Fact]
    public void RefreshTokenFromStartSessionParsesBackToItsSession()
    {
        var account = NewAccount();
        var (_, session, token) = account.StartSession(s_t0);

        Assert.True(UserAccount.TryParseRefreshToken(token, out var userId, out var sessionId, out var secretHash));
        Assert.Equal(account.UserId, userId);
        Assert.Equal(session.SessionId, sessionId);
        Assert.Equal(session.RefreshTokenHash, secretHash);
        Assert.DoesNotContain(secretHash, token, StringComparison.Ordinal);
    }

    [Fact]
    public void RefreshRotatesTheToken()
    {
        var (account, session, token) = NewAccount().StartSession(s_t0);
        var first = SecretHash(token);

        var (rotated, rotatedSession, newToken) = account.Refresh(session.SessionId, first, s_t0.AddMinutes(10));

        Assert.NotEqual(token, newToken);
        Assert.Equal(session.SessionId, rotatedSession.SessionId);
        var (again, _, _) = rotated.Refresh(session.SessionId, SecretHash(newToken), s_t0.AddMinutes(20));
        Assert.Single(again.Sessions);
    }

    [Fact]
    public void PresentingASpentRefreshTokenEndsTheSession()
    {
        var (account, session, token) = NewAccount().StartSession(s_t0);
        (account, _, _) = account.StartSession(s_t0.AddMinutes(1));
        (account, _, _) = account.Refresh(session.SessionId, SecretHash(token), s_t0.AddMinutes(10));

        var reuse = Assert.Throws<RefreshTokenReuseException>(() => account.Refresh(session.SessionId, SecretHash(token), s_t0.AddMinutes(11)));

        Assert.DoesNotContain(reuse.AccountWithoutSession.Sessions, s => s.SessionId == session.SessionId);
        Assert.Single(reuse.AccountWithoutSession.Sessions);
    }

    [Fact]
    public void UnknownOrExpiredRefreshTokenIsUnauthenticated()
    {
        var (account, session, token) = NewAccount().StartSession(s_t0);

        var forged = Assert.Throws<DomainException>(() => account.Refresh(session.SessionId, UserAccount.HashSecret("forged-secret-forged-secret"), s_t0.AddMinutes(1)));
        var unknown = Assert.Throws<DomainException>(() => account.Refresh(Ids.NewId("s"), SecretHash(token), s_t0.AddMinutes(1)));
        var expired = Assert.Throws<DomainException>(() => account.Refresh(session.SessionId, SecretHash(token), s_t0 + UserAccount.RefreshTokenLifetime));

        Assert.All(new[] { forged, unknown, expired }, e =>
        {
            Assert.Equal(ErrorKind.Unauthenticated, e.Kind);
            Assert.Equal("REFRESH_TOKEN_INVALID", e.Reason);
        });
    }

    [Fact]
    public void EndAllSessionsInvalidatesIssuedAccessTokens()
    {
        var (account, session, _) = NewAccount().StartSession(s_t0);
        var stamp = account.SecurityStamp;
        Assert.True(account.HasLiveSession(session.SessionId, stamp, s_t0.AddMinutes(1)));

        var ended = account.EndAllSessions();

        Assert.Empty(ended.Sessions);
        Assert.Equal(stamp + 1, ended.SecurityStamp);
        Assert.False(ended.HasLiveSession(session.SessionId, stamp, s_t0.AddMinutes(1)));
    }

    [Fact]
    public void EndSessionEndsOnlyThatSession()
    {
        var (account, first, _) = NewAccount().StartSession(s_t0);
        (account, var second, _) = account.StartSession(s_t0.AddMinutes(1));

        var after = account.EndSession(first.SessionId);

        Assert.False(after.HasLiveSession(first.SessionId, after.SecurityStamp, s_t0.AddMinutes(2)));
        Assert.True(after.HasLiveSession(second.SessionId, after.SecurityStamp, s_t0.AddMinutes(2)));
    }

    [Fact]
    public void ChangingThePasswordRevokesEverySession()
    {
        var (account, session, token) = NewAccount().StartSession(s_t0);

        var changed = account.ChangePasswordHash("new-hash");

        Assert.Equal("new-hash", changed.PasswordHash);
        Assert.Empty(changed.Sessions);
        Assert.False(changed.HasLiveSession(session.SessionId, account.SecurityStamp, s_t0.AddMinutes(1)));
        Assert.Throws<DomainException>(() => changed.Refresh(session.SessionId, SecretHash(token), s_t0.AddMinutes(1)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("u_abcdefgh.s_abcdefgh")]
    [InlineData("u_abcdefgh.s_abcdefgh.short")]
    [InlineData("x_abcdefgh.s_abcdefgh.0123456789abcdefghijklmn")]
    [InlineData("u_abcdefgh.x_abcdefgh.0123456789abcdefghijklmn")]
    [InlineData("u_../../etc.s_abcdefgh.0123456789abcdefghijklmn")]
    [InlineData("u_abcdefgh.s_abcdefgh.0123456789abcdefghijklmn.extra")]
    public void RejectsMalformedRefreshTokens(string? token)
    {
        Assert.False(UserAccount.TryParseRefreshToken(token, out _, out _, out _));
    }

    [Fact]
    public void RejectsRefreshTokenWithOverlongSecret()
    {
        Assert.False(UserAccount.TryParseRefreshToken("u_abcdefgh.s_abcdefgh." + new string('a', 101), out _, out _, out _));
        Assert.True(UserAccount.TryParseRefreshToken("u_abcdefgh.s_abcdefgh." + new string('a', 100), out _, out _, out _));
    }

    [Fact]
    public void AuditViewNeverContainsPasswordOrTokenHashesOrTheWholePhone()
    {
        var hasher = new PasswordHasher();
        var account = NewAccount() with { PasswordHash = hasher.Hash("Tr4de#Ok") };
        (account, var session, var token) = account.StartSession(s_t0);
        (account, var rotated, _) = account.Refresh(session.SessionId, SecretHash(token), s_t0.AddMinutes(1));

        var json = JsonSerializer.Serialize(account.ToAuditView());

        Assert.DoesNotContain(account.PasswordHash, json, StringComparison.Ordinal);
        Assert.DoesNotContain(account.PasswordHash.Split('$')[3], json, StringComparison.Ordinal);
        Assert.DoesNotContain(rotated.RefreshTokenHash, json, StringComparison.Ordinal);
        Assert.DoesNotContain(session.RefreshTokenHash, json, StringComparison.Ordinal);
        Assert.DoesNotContain("13812345678", json, StringComparison.Ordinal);
        Assert.Contains("138****5678", json, StringComparison.Ordinal);
        Assert.Contains(account.UserId, json, StringComparison.Ordinal);
    }

    [Fact]
    public void LinkingASecondIdentityOfTheSameProviderIsRefused()
    {
        var account = NewAccount().Link(ExternalProvider.WeChat, "wx-openid-1", s_t0);

        Assert.Same(account, account.Link(ExternalProvider.WeChat, "wx-openid-1", s_t0.AddDays(1)));
        var error = Assert.Throws<DomainException>(() => account.Link(ExternalProvider.WeChat, "wx-openid-2", s_t0));
        Assert.Equal("PROVIDER_ALREADY_LINKED", error.Reason);
        Assert.Equal(2, account.Link(ExternalProvider.QQ, "qq-1", s_t0).ExternalLogins.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a\u0007b")]
    public void RejectsBlankOrControlDisplayNames(string name)
    {
        Assert.Equal("INVALID_DISPLAY_NAME", Assert.Throws<DomainException>(() => UserAccount.ValidateDisplayName(name)).Reason);
    }

    [Fact]
    public void DisplayNameIsTrimmedAndLimitedToSixtyFourCharacters()
    {
        Assert.Equal("张伟", UserAccount.ValidateDisplayName("  张伟 "));
        Assert.Equal(new string('x', 64), UserAccount.ValidateDisplayName(new string('x', 64)));
        Assert.Throws<DomainException>(() => UserAccount.ValidateDisplayName(new string('x', 65)));
    }

    private static UserAccount NewAccount() =>
        UserAccount.Register(Ids.NewId("u"), "Zhang Wei", AccountKind.Individual, ContactAddress.ParsePhone("13812345678", "phone"), "pbkdf2-sha512$210000$c2FsdA==$aGFzaA==", s_t0);

    private static string SecretHash(string token)
    {
        Assert.True(UserAccount.TryParseRefreshToken(token, out _, out _, out var hash));
        return hash;
    }
}
