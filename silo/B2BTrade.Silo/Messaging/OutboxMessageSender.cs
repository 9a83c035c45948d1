using System.Text.Encodings.Web;
using System.Text.Json;
using B2BTrade.Domain.Identity;
using B2BTrade.Grains.Infrastructure;
using B2BTrade.Silo.Data;

namespace B2BTrade.Silo.Messaging;

/// <summary>
/// The default SMS/email sender: never talks to a real gateway. Messages go to the sent_messages table (operators
/// read them with OperatorService.ListOutboxMessages on any node) and, on a single node, also to
/// {DataDir}/outbox/messages.jsonl so a newcomer can read a code with `tail`.
/// </summary>
public sealed class OutboxMessageSender(SqlDatabase database, TimeProvider time, string? outboxFile) : IMessageSender
{
    // A local file for people to read: keep Chinese text and "+" as they are.
    private static readonly JsonSerializerOptions s_fileJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly SemaphoreSlim _fileLock = new(1, 1);

    public async Task SendAsync(ContactAddress to, string body, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var id = await database.InTransactionAsync(async (connection, transaction) =>
        {
            var rows = await connection.QueryAsync(
                "INSERT INTO sent_messages (channel, recipient, body, created_at) VALUES (@channel, @recipient, @body, @at) RETURNING id",
                r => r.GetInt64(0), transaction, ("@channel", to.Channel), ("@recipient", to.Value), ("@body", body), ("@at", now));
            return rows[0];
        }, cancellationToken);

        if (outboxFile is null)
        {
            return;
        }

        var line = JsonSerializer.Serialize(new { id, channel = to.Channel, recipient = to.Value, body, createdAt = now }, s_fileJson) + "\n";
        await _fileLock.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(outboxFile)!);
            await File.AppendAllTextAsync(outboxFile, line, cancellationToken);
        }
        finally
        {
            _fileLock.Release();
        }
    }
}
