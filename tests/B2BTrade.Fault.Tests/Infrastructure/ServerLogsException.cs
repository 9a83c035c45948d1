namespace B2BTrade.Fault.Tests.Infrastructure;

/// <summary>A test failure with the tails of the server logs attached.</summary>
internal sealed class ServerLogsException(Exception inner, string logs)
    : Exception($"{inner.GetType().Name}: {inner.Message}\n\n{logs}", inner)
{
    /// <summary>Runs <paramref name="body"/>; any failure is rethrown with <paramref name="logs"/> appended.</summary>
    public static async Task GuardAsync(Func<Task> body, Func<string> logs)
    {
        try
        {
            await body();
        }
        catch (Exception e) when (e is not ServerLogsException)
        {
            throw new ServerLogsException(e, logs());
        }
    }
}
