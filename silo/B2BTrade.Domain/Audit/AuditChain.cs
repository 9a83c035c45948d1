using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace B2BTrade.Domain.Audit;

/// <summary>One audit entry: who did what to which aggregate, with the state before and after.</summary>
public sealed record AuditRecord(
    string AggregateType,
    string AggregateId,
    long Sequence,
    string Actor,
    string Action,
    string BeforeJson,
    string AfterJson,
    DateTimeOffset OccurredAt,
    string PreviousHash,
    string Hash);

/// <summary>
/// Per-aggregate hash chain: each entry's hash covers the previous entry's hash and every field of the entry,
/// so changing, removing or reordering any stored entry breaks verification from that point on.
/// </summary>
public static class AuditChain
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = false };

    public static AuditRecord Append(string aggregateType, string aggregateId, long previousSequence, string previousHash, string actor, string action, object? before, object? after, DateTimeOffset now) =>
        AppendJson(aggregateType, aggregateId, previousSequence, previousHash, actor, action, ToJson(before), ToJson(after), now);

    /// <summary>The JSON an entry stores for a before or after view.</summary>
    public static string ToJson(object? view) => view is null ? "null" : JsonSerializer.Serialize(view, s_json);

    /// <summary>Like <see cref="Append"/>, for views already turned into JSON by <see cref="ToJson"/>.</summary>
    public static AuditRecord AppendJson(string aggregateType, string aggregateId, long previousSequence, string previousHash, string actor, string action, string beforeJson, string afterJson, DateTimeOffset now)
    {
        var sequence = previousSequence + 1;
        var prev = string.IsNullOrEmpty(previousHash) ? GenesisHash : previousHash;
        var occurred = TruncateToMicroseconds(now);
        return new AuditRecord(aggregateType, aggregateId, sequence, actor, action, beforeJson, afterJson, occurred, prev,
            ComputeHash(aggregateType, aggregateId, sequence, actor, action, beforeJson, afterJson, occurred, prev));
    }

    public static string ComputeHash(string aggregateType, string aggregateId, long sequence, string actor, string action, string beforeJson, string afterJson, DateTimeOffset occurredAt, string previousHash)
    {
        // Length-prefixed fields: no two different entries can serialise to the same bytes.
        var builder = new StringBuilder();
        foreach (var field in new[]
        {
            previousHash, aggregateType, aggregateId, sequence.ToString(CultureInfo.InvariantCulture), actor, action, beforeJson, afterJson,
            occurredAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
        })
        {
            builder.Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('|');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }

    /// <summary>Returns 0 when the chain is intact, else the first sequence that does not verify.</summary>
    public static long FirstBrokenSequence(IReadOnlyList<AuditRecord> entries)
    {
        var previous = GenesisHash;
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var expected = ComputeHash(e.AggregateType, e.AggregateId, e.Sequence, e.Actor, e.Action, e.BeforeJson, e.AfterJson, e.OccurredAt, previous);
            if (e.Sequence != i + 1 || e.PreviousHash != previous || e.Hash != expected)
            {
                return i + 1;
            }

            previous = e.Hash;
        }

        return 0;
    }

    // Both stores keep microseconds at most; hashing a value the store cannot round-trip would break verification.
    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) =>
        new(value.UtcTicks - value.UtcTicks % 10, TimeSpan.Zero);
}
