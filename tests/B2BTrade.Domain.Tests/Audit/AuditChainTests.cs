using B2BTrade.Domain.Audit;

namespace B2BTrade.Domain.Tests.Audit;

public class AuditChainTests
{
    private static readonly DateTimeOffset s_t0 = new(2025, 3, 14, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void IntactChainVerifies()
    {
        var chain = Chain(5);

        Assert.Equal(0, AuditChain.FirstBrokenSequence(chain));
        Assert.Equal(AuditChain.GenesisHash, chain[0].PreviousHash);
        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, chain.Select(e => e.Sequence));
        Assert.All(chain.Skip(1).Zip(chain), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
    }

    [Fact]
    public void EmptyChainVerifies()
    {
        Assert.Equal(0, AuditChain.FirstBrokenSequence([]));
    }

    public static TheoryData<string> Tamperings => ["actor", "action", "before_json", "after_json", "occurred_at", "hash", "previous_hash", "aggregate_id", "sequence"];

    [Theory]
    [MemberData(nameof(Tamperings))]
    public void ChangingAnyFieldOfAnEntryIsDetectedAtThatEntry(string field)
    {
        var chain = Chain(5);
        var e = chain[2];
        chain[2] = field switch
        {
            "actor" => e with { Actor = "u_mallory1" },
            "action" => e with { Action = "Cancel" },
            "before_json" => e with { BeforeJson = e.BeforeJson.Replace("2", "9", StringComparison.Ordinal) },
            "after_json" => e with { AfterJson = """{"Step":3,"Amount":"1.00"}""" },
            "occurred_at" => e with { OccurredAt = e.OccurredAt.AddSeconds(-1) },
            "hash" => e with { Hash = new string('a', 64) },
            "previous_hash" => e with { PreviousHash = new string('b', 64) },
            "aggregate_id" => e with { AggregateId = "o_other" },
            "sequence" => e with { Sequence = 30 },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        Assert.Equal(3, AuditChain.FirstBrokenSequence(chain));
    }

    [Fact]
    public void EntryWhoseHashWasRecomputedAfterTamperingBreaksTheNextEntry()
    {
        var chain = Chain(5);
        var e = chain[2] with { Actor = "u_mallory1" };
        chain[2] = e with { Hash = AuditChain.ComputeHash(e.AggregateType, e.AggregateId, e.Sequence, e.Actor, e.Action, e.BeforeJson, e.AfterJson, e.OccurredAt, e.PreviousHash) };

        Assert.Equal(4, AuditChain.FirstBrokenSequence(chain));
    }

    [Fact]
    public void RemovingAnEntryIsDetected()
    {
        var chain = Chain(5);
        chain.RemoveAt(1);

        Assert.Equal(2, AuditChain.FirstBrokenSequence(chain));
    }

    [Theory]
    [InlineData(1, 3, 2)]
    [InlineData(2, 3, 3)]
    [InlineData(0, 4, 1)]
    public void ReorderingIsDetectedAtTheFirstMovedPosition(int a, int b, long expected)
    {
        var chain = Chain(5);
        (chain[a], chain[b]) = (chain[b], chain[a]);

        Assert.Equal(expected, AuditChain.FirstBrokenSequence(chain));
    }

    [Fact]
    public void OccurredAtIsStoredToTheMicrosecondSoItSurvivesTheDatabase()
    {
        var now = s_t0.AddTicks(1_234_567);
        var entry = AuditChain.Append("order", "o_abcdefgh", 0, "", "u_alice001", "Create", null, new { Step = 1 }, now.ToOffset(TimeSpan.FromHours(8)));

        Assert.Equal(s_t0.AddTicks(1_234_560), entry.OccurredAt);
        Assert.Equal(TimeSpan.Zero, entry.OccurredAt.Offset);
        Assert.Equal(0, AuditChain.FirstBrokenSequence([entry]));
    }

    [Fact]
    public void EntryRecordsBeforeAndAfterStateAsJson()
    {
        var entry = AuditChain.Append("order", "o_abcdefgh", 0, "", "u_alice001", "Create", null, new { Step = 1, Amount = "1.00" }, s_t0);

        Assert.Equal("null", entry.BeforeJson);
        Assert.Equal("""{"Step":1,"Amount":"1.00"}""", entry.AfterJson);
        Assert.Equal(1, entry.Sequence);
    }

    private static List<AuditRecord> Chain(int length)
    {
        var chain = new List<AuditRecord>();
        object? before = null;
        for (var i = 1; i <= length; i++)
        {
            var after = new { Step = i, Amount = $"{i}.00" };
            var previous = chain.Count == 0 ? null : chain[^1];
            chain.Add(AuditChain.Append("order", "o_abcdefgh", previous?.Sequence ?? 0, previous?.Hash ?? "", "u_alice001", "Step" + i, before, after, s_t0.AddMinutes(i)));
            before = after;
        }

        return chain;
    }
}
