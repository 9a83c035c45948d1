using B2BTrade.Domain.Common;
using B2BTrade.Domain.Identity;

namespace B2BTrade.Domain.Tests.Identity;

public class VerificationCodeRulesTests
{
    // 10:00 in Beijing.
    private static readonly DateTimeOffset s_t0 = new(2025, 3, 14, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void IssuesASixDigitCode()
    {
        for (var i = 0; i < 50; i++)
        {
            var (_, code) = VerificationCodeRules.Issue(new VerificationCodeState(), s_t0);

            Assert.Equal(6, code.Length);
            Assert.All(code, c => Assert.True(char.IsAsciiDigit(c)));
        }
    }

    [Fact]
    public void StateKeepsOnlyASaltedHashOfTheCode()
    {
        var (first, code) = VerificationCodeRules.Issue(new VerificationCodeState(), s_t0);
        var (second, _) = VerificationCodeRules.Issue(new VerificationCodeState(), s_t0);

        Assert.DoesNotContain(code, first.CodeHash!, StringComparison.Ordinal);
        Assert.NotEqual(first.Salt, second.Salt);
        Assert.Equal(s_t0 + TimeSpan.FromMinutes(5), first.ExpiresAt);
    }

    [Theory]
    [InlineData(0, "60")]
    [InlineData(10, "50")]
    [InlineData(59, "1")]
    public void RefusesResendWithinSixtySecondsSayingHowLongToWait(int secondsLater, string retryAfter)
    {
        var (state, _) = VerificationCodeRules.Issue(new VerificationCodeState(), s_t0);

        var error = Assert.Throws<DomainException>(() => VerificationCodeRules.Issue(state, s_t0.AddSeconds(secondsLater)));

        Assert.Equal(ErrorKind.ResourceExhausted, error.Kind);
        Assert.Equal("CODE_RESEND_TOO_SOON", error.Reason);
        Assert.Equal(retryAfter, error.Metadata["retry_after_seconds"]);
    }

    [Fact]
    public void AllowsResendAfterSixtySecondsAndOldCodeStopsWorking()
    {
        var (state, oldCode) = VerificationCodeRules.Issue(new VerificationCodeState(), s_t0);
        var (resent, newCode) = VerificationCodeRules.Issue(state, s_t0.AddSeconds(60));

        if (oldCode != newCode)
        {
            Assert.NotNull(VerificationCodeRules.Verify(resent, oldCode, s_t0.AddSeconds(61)).Error);
        }

        Assert.Null(VerificationCodeRules.Verify(resent, newCode, s_t0.AddSeconds(61)).Error);
    }

    [Fact]
    public void EleventhCodeOfAChinaCalendarDayIsRefused()
    {
        var state = new VerificationCodeState();
        var now = s_t0;
        for (var i = 0; i < 10; i++)
        {
            (state, _) = VerificationCodeRules.Issue(state, now);
            now = now.AddMinutes(1);
        }

        var error = Assert.Throws<DomainException>(() => VerificationCodeRules.Issue(state, now));

        Assert.Equal(ErrorKind.ResourceExhausted, error.Kind);
        Assert.Equal("CODE_DAILY_LIMIT", error.Reason);
        // 10:10 Beijing: 13 h 50 min until Beijing midnight.
        Assert.Equal(((13 * 60) + 50) * 60 + "", error.Metadata["retry_after_seconds"]);
    }

    [Fact]
    public void DailyCountResetsAtChinaMidnightNotUtcMidnight()
    {
        // Ten codes sent on 14 March (Beijing), the last one at 23:58:00 Beijing = 15:58:00Z.
        var exhausted = new VerificationCodeState
        {
            IssuedAt = new DateTimeOffset(2025, 3, 14, 15, 58, 0, TimeSpan.Zero),
            CountDay = new DateOnly(2025, 3, 14),
            SentOnCountDay = 10,
        };

        var error = Assert.Throws<DomainException>(() => VerificationCodeRules.Issue(exhausted, new DateTimeOffset(2025, 3, 14, 15, 59, 59, TimeSpan.Zero)));
        Assert.Equal("CODE_DAILY_LIMIT", error.Reason);
        Assert.Equal("1", error.Metadata["retry_after_seconds"]);

        var (state, _) = VerificationCodeRules.Issue(exhausted, new DateTimeOffset(2025, 3, 14, 16, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2025, 3, 15), state.CountDay);
        Assert.Equal(1, state.SentOnCountDay);
    }

    [Fact]
    public void UtcMidnightDoesNotResetTheDailyCount()
    {
        // 00:30Z is 08:30 Beijing, the same Beijing day as 23:50Z the day before (07:50 Beijing).
        var exhausted = new VerificationCodeState
        {
            IssuedAt = new DateTimeOffset(2025, 3, 14, 23, 50, 0, TimeSpan.Zero),
            CountDay = new DateOnly(2025, 3, 15),
            SentOnCountDay = 10,
        };

        var error = Assert.Throws<DomainException>(() => VerificationCodeRules.Issue(exhausted, new DateTimeOffset(2025, 3, 15, 0, 30, 0, TimeSpan.Zero)));
        Assert.Equal("CODE_DAILY_LIMIT", error.Reason);
    }

    [Fact]
    public void RightCodeVerifiesUntilConsumedThenNeverAgain()
    {
        var (state, code) = VerificationCodeRules.Issue(new VerificationCodeState(), s_t0);

        var (checkedOnce, firstError) = VerificationCodeRules.Verify(state, code, s_t0.AddMinutes(1));
        var (_, retryError) = VerificationCodeRules.Verify(checkedOnce, code, s_t0.AddMinutes(1));
        var used = VerificationCodeRules.Consume(checkedOnce, checkedOnce.IssueId!);
        var (_, afterUseError) = VerificationCodeRules.Verify(used, code, s_t0.AddMinutes(1));

        Assert.Null(firstError);
        Assert.Null(retryError);
        Assert.True(used.Consumed);
        Assert.Equal("CODE_INVALID", afterUseError?.Reason);
    }

    [Fact]
    public void ConsumingAnEarlierIssueLeavesTheCurrentCodeUsable()
    {
        var (first, _) = VerificationCodeRules.Issue(new VerificationCodeState(), s_t0);
        var (second, code) = VerificationCodeRules.Issue(first, s_t0.AddMinutes(2));

        var after = VerificationCodeRules.Consume(second, first.IssueId!);

        Assert.False(after.Consumed);
        Assert.Null(VerificationCodeRules.Verify(after, code, s_t0.AddMinutes(3)).Error);
    }

    [Fact]
    public void CodeExpiresAfterFiveMinutes()
    {
        var (state, code) = VerificationCodeRules.Issue(new VerificationCodeState(), s_t0);

        Assert.Null(VerificationCodeRules.Verify(state, code, s_t0.AddMinutes(5).AddTicks(-10)).Error);
        var (after, error) = VerificationCodeRules.Verify(state, code, s_t0.AddMinutes(5));

        Assert.Equal(ErrorKind.InvalidArgument, error?.Kind);
        Assert.Equal("CODE_EXPIRED", error?.Reason);
        Assert.False(after.Consumed);
    }

    [Fact]
    public void AfterFiveWrongTriesEvenTheRightCodeFails()
    {
        var (state, code) = VerificationCodeRules.Issue(new VerificationCodeState(), s_t0);
        var wrong = code == "000000" ? "111111" : "000000";
        for (var i = 0; i < 5; i++)
        {
            DomainException? error;
            (state, error) = VerificationCodeRules.Verify(state, wrong, s_t0.AddSeconds(10 + i));
            Assert.Equal("CODE_INVALID", error?.Reason);
        }

        var (final, rightError) = VerificationCodeRules.Verify(state, code, s_t0.AddSeconds(20));

        Assert.Equal(5, final.FailedAttempts);
        Assert.Equal("CODE_INVALID", rightError?.Reason);
        Assert.False(final.Consumed);
    }

    [Fact]
    public void FourWrongTriesStillLeaveTheRightCodeUsable()
    {
        var (state, code) = VerificationCodeRules.Issue(new VerificationCodeState(), s_t0);
        var wrong = code == "000000" ? "111111" : "000000";
        for (var i = 0; i < 4; i++)
        {
            (state, _) = VerificationCodeRules.Verify(state, wrong, s_t0.AddSeconds(10 + i));
        }

        Assert.Null(VerificationCodeRules.Verify(state, code, s_t0.AddSeconds(20)).Error);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    [InlineData("١٢٣٤٥٦")]
    [InlineData("")]
    [InlineData(null)]
    public void WronglyFormattedCodeIsRejectedWithoutCountingATry(string? input)
    {
        var (state, _) = VerificationCodeRules.Issue(new VerificationCodeState(), s_t0);

        var (after, error) = VerificationCodeRules.Verify(state, input, s_t0.AddSeconds(5), "login.code");

        Assert.Equal("INVALID_CODE_FORMAT", error?.Reason);
        Assert.Equal("login.code", Assert.Single(error!.Violations).Field);
        Assert.Equal(0, after.FailedAttempts);
    }

    [Fact]
    public void StateWithoutACodeNeverVerifies()
    {
        // A notice was sent instead of a code (e.g. "this address is already registered").
        var noticeOnly = new VerificationCodeState
        {
            IssuedAt = s_t0,
            ExpiresAt = s_t0.AddMinutes(5),
            CountDay = new DateOnly(2025, 3, 14),
            SentOnCountDay = 1,
        };

        for (var i = 0; i < 20; i++)
        {
            var guess = (i * 37_123).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal("CODE_INVALID", VerificationCodeRules.Verify(noticeOnly, guess, s_t0.AddSeconds(5)).Error?.Reason);
        }
    }
}
