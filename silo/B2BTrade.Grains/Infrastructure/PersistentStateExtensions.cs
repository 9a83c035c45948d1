namespace B2BTrade.Grains.Infrastructure;

public static class PersistentStateExtensions
{
    /// <summary>Replaces the state and persists it; if the write fails the previous state is put back, so memory never runs ahead of storage.</summary>
    public static async Task ReplaceAsync<T>(this IPersistentState<T> store, T next)
    {
        var previous = store.State;
        store.State = next;
        try
        {
            await store.WriteStateAsync();
        }
        catch
        {
            store.State = previous;
            throw;
        }
    }
}
