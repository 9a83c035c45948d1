namespace B2BTrade.Grains.Infrastructure;

public static class ReminderExtensions
{
    /// <summary>Stops the grain's reminder of that name if it has one (Orleans unregisters by handle, not by name).</summary>
    public static async Task UnregisterReminderIfAnyAsync<TGrain>(this TGrain grain, string reminderName)
        where TGrain : Grain, IRemindable
    {
        if (await grain.GetReminder(reminderName) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }
    }
}
