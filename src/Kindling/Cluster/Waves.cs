namespace Kindling.Cluster;

/// <summary>Requests sent together: one round trip for all of them instead of one each.</summary>
internal static class Waves
{
    /// <summary>
    /// Waits until every task has finished, failed or not, so the caller judges their outcomes in its own order
    /// (the same error is then reported whichever request happened to fail first).
    /// </summary>
    public static async Task SettleAsync(IEnumerable<Task> tasks)
    {
        var all = Task.WhenAll(tasks);
        try
        {
            await all.ConfigureAwait(false);
        }
        catch (Exception) when (all.IsFaulted || all.IsCanceled)
        {
            // Each task's own outcome is awaited by the caller.
        }
    }
}
