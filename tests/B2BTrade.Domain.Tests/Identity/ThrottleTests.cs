using B2BTrade.Domain.Common;
using B2BTrade.Domain.Identity;

namespace B2BTrade.Domain.Tests.Identity;

public class FixedWindowTests
{
    private static readonly DateTimeOffset s_t0 = new(2025, 3, 14, 2, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan s_hour = TimeSpan.FromHours(1);

    [Fact]
    public void AllowsUpToTheLimitWithinOneWindow()
    {
        var window = new FixedWindow();
        for (var i = 0; i < 3; i++)
        {
            bool allowed;
            (window, allowed, _) = FixedWindow.Hit(window, s_t0.AddMinutes(i * 10), s_hour, 3);
            Assert.True(allowed);
        }

        var (_, fourth, retryAfter) = FixedWindow.Hit(window, s_t0.AddMinutes(40), s_hour, 3);

        Assert.False(fourth);
        Assert.Equal(TimeSpan.FromMinutes(20), retryAfter);
    }

    [Fact]
    public void AWeightedHitMustFitWhole()
    {
        var (window, allowed, _) = FixedWindow.Hit(new FixedWindow(), s_t0, s_hour, 100, 60);
        Assert.True(allowed);
        (_, allowed, _) = FixedWindow.Hit(window, s_t0.AddMinutes(1), s_hour, 100, 41);
        Assert.False(allowed);
        (window, allowed, _) = FixedWindow.Hit(window, s_t0.AddMinutes(1), s_hour, 100, 40);
        Assert.True(allowed);
        Assert.Equal(100, window.Count);
    }

    [Fact]
    public void ARefundGivesBackOneHitOfTheCurrentWindowOnly()
    {
        var window = new FixedWindow();
        for (var i = 0; i < 3; i++)
        {
            (window, _, _) = FixedWindow.Hit(window, s_t0.AddMinutes(i), s_hour, 3);
        }

        // A right password gives its hit back, so the next attempt is allowed again.
        window = FixedWindow.Refund(window, s_t0.AddMinutes(5), s_hour);
        Assert.Equal(2, window.Count);
        Assert.True(FixedWindow.Hit(window, s_t0.AddMinutes(6), s_hour, 3).Allowed);

        // Nothing to give back below zero, or from a window that has ended.
        Assert.Equal(0, FixedWindow.Refund(new FixedWindow(), s_t0, s_hour).Count);
        Assert.Same(window, FixedWindow.Refund(window, s_t0.AddHours(2), s_hour));
    }

    [Fact]
    public void RefusedHitsDoNotExtendTheWindow()
    {
        var window = new FixedWindow();
        (window, _, _) = FixedWindow.Hit(window, s_t0, s_hour, 1);
        (window, _, _) = FixedWindow.Hit(window, s_t0.AddMinutes(30), s_hour, 1);
        (window, _, _) = FixedWindow.Hit(window, s_t0.AddMinutes(59), s_hour, 1);

        Assert.True(FixedWindow.Hit(window, s_t0.AddMinutes(60), s_hour, 1).Allowed);
    }

    [Fact]
    public void CountStartsAgainAfterTheWindow()
    {
        var window = new FixedWindow();
        for (var i = 0; i < 3; i++)
        {
            (window, _, _) = FixedWindow.Hit(window, s_t0, s_hour, 3);
        }

        Assert.False(FixedWindow.Hit(window, s_t0.AddMinutes(59), s_hour, 3).Allowed);

        var (next, allowed, _) = FixedWindow.Hit(window, s_t0.AddHours(1), s_hour, 3);
        Assert.True(allowed);
        Assert.Equal(1, next.Count);
        Assert.Equal(s_t0.AddHours(1), next.WindowStart);
    }
}

public class LoginThrottleTests
{
    private static readonly DateTimeOffset s_t0 = new(2025, 3, 14, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void FourFailuresDoNotLock()
    {
        var throttle = Fail(LoginThrottle.Cleared, 4, s_t0);

        Assert.False(throttle.IsLocked(s_t0.AddSeconds(10)));
    }

    [Fact]
    public void FifthFailureLocksForFifteenMinutes()
    {
        var throttle = Fail(LoginThrottle.Cleared, 5, s_t0);
        var lockedAt = s_t0.AddSeconds(4);

        Assert.True(throttle.IsLocked(lockedAt));
        Assert.True(throttle.IsLocked(lockedAt.AddMinutes(15).AddTicks(-1)));
        Assert.False(throttle.IsLocked(lockedAt.AddMinutes(15)));
    }

    [Fact]
    public void FailuresWhileLockedDoNotExtendTheLock()
    {
        var throttle = Fail(LoginThrottle.Cleared, 5, s_t0);
        var until = throttle.LockedUntil;

        throttle = Fail(throttle, 10, s_t0.AddMinutes(5));

        Assert.Equal(until, throttle.LockedUntil);
        Assert.False(throttle.IsLocked(until!.Value));
    }

    [Fact]
    public void AfterTheLockLapsesFiveNewFailuresLockAgain()
    {
        var throttle = Fail(LoginThrottle.Cleared, 5, s_t0);
        var later = s_t0.AddMinutes(20);

        throttle = Fail(throttle, 4, later);
        Assert.False(throttle.IsLocked(later.AddSeconds(4)));

        throttle = throttle.RecordFailure(later.AddSeconds(5));
        Assert.True(throttle.IsLocked(later.AddSeconds(5)));
    }

    [Fact]
    public void LockedErrorIsResourceExhaustedWithTheRemainingWait()
    {
        var throttle = Fail(LoginThrottle.Cleared, 5, s_t0);
        var lockedAt = s_t0.AddSeconds(4);

        var error = throttle.LockedError(lockedAt.AddMinutes(5));

        Assert.Equal(ErrorKind.ResourceExhausted, error.Kind);
        Assert.Equal("LOGIN_LOCKED", error.Reason);
        Assert.Equal("600", error.Metadata["retry_after_seconds"]);
    }

    private static LoginThrottle Fail(LoginThrottle throttle, int times, DateTimeOffset start)
    {
        for (var i = 0; i < times; i++)
        {
            throttle = throttle.RecordFailure(start.AddSeconds(i));
        }

        return throttle;
    }
}
