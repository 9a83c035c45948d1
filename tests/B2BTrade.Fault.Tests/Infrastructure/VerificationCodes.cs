using System.Text.Json;
using System.Text.RegularExpressions;
using B2BTrade.Protos.Operations.V1;
using Grpc.Core;

namespace B2BTrade.Fault.Tests.Infrastructure;

/// <summary>Where a test reads the verification codes the platform "sent".</summary>
internal interface IVerificationCodes
{
    /// <summary>Id of the newest message to <paramref name="recipient"/>; 0 when there is none.</summary>
    Task<long> NewestIdAsync(string recipient);

    /// <summary>Waits for a message to <paramref name="recipient"/> newer than <paramref name="afterId"/> and returns its 6-digit code.</summary>
    Task<string> WaitForCodeAsync(string recipient, long afterId, TimeSpan timeout);
}

/// <summary>Shared polling and code extraction.</summary>
internal abstract partial class VerificationCodesBase : IVerificationCodes
{
    public async Task<long> NewestIdAsync(string recipient) =>
        (await ReadAsync(recipient)).Select(m => m.Id).DefaultIfEmpty(0).Max();

    public async Task<string> WaitForCodeAsync(string recipient, long afterId, TimeSpan timeout)
    {
        var stop = DateTime.UtcNow + timeout;
        while (true)
        {
            var newest = (await ReadAsync(recipient)).Where(m => m.Id > afterId).OrderByDescending(m => m.Id).FirstOrDefault();
            if (newest is not null)
            {
                var match = SixDigits().Match(newest.Body);
                Assert.True(match.Success, $"message {newest.Id} to {recipient} has no 6-digit code: {newest.Body}");
                return match.Groups[1].Value;
            }

            if (DateTime.UtcNow > stop)
            {
                throw new TimeoutException($"No verification code for {recipient} (after message {afterId}) within {timeout.TotalSeconds:0} s ({Where}).");
            }

            await Task.Delay(200);
        }
    }

    protected abstract string Where { get; }

    protected abstract Task<IReadOnlyList<Message>> ReadAsync(string recipient);

    [GeneratedRegex(@"(\d{6})")]
    private static partial Regex SixDigits();

    protected sealed record Message(long Id, string Recipient, string Body);
}

/// <summary>Single node: ${DataDir}/outbox/messages.jsonl, one JSON object a line.</summary>
internal sealed class OutboxFileCodes(string dataDir) : VerificationCodesBase
{
    private readonly string _path = Path.Combine(dataDir, "outbox", "messages.jsonl");

    protected override string Where => _path;

    protected override async Task<IReadOnlyList<Message>> ReadAsync(string recipient)
    {
        if (!File.Exists(_path))
        {
            return [];
        }

        string text;
        await using (var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        using (var reader = new StreamReader(stream))
        {
            text = await reader.ReadToEndAsync();
        }

        var messages = new List<Message>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                var to = root.GetProperty("recipient").GetString() ?? "";
                if (string.Equals(to, recipient, StringComparison.OrdinalIgnoreCase))
                {
                    messages.Add(new Message(root.GetProperty("id").GetInt64(), to, root.GetProperty("body").GetString() ?? ""));
                }
            }
            catch (JsonException)
            {
                // A line still being written; read again on the next poll.
            }
        }

        return messages;
    }
}

/// <summary>Any mode: OperatorService.ListOutboxMessages as an operator.</summary>
internal sealed class OperatorOutboxCodes(OperatorService.OperatorServiceClient operators, Metadata operatorAuth) : VerificationCodesBase
{
    protected override string Where => "OperatorService.ListOutboxMessages";

    protected override async Task<IReadOnlyList<Message>> ReadAsync(string recipient)
    {
        var response = await Transient.RetryAsync(
            deadline => operators.ListOutboxMessagesAsync(new ListOutboxMessagesRequest { Recipient = recipient, PageSize = 20 }, operatorAuth, deadline).ResponseAsync,
            TimeSpan.FromSeconds(45));
        return response.Messages.Select(m => new Message(m.MessageId, m.Recipient, m.Body)).ToList();
    }
}
