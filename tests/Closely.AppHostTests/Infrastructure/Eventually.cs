namespace Closely.AppHostTests.Infrastructure;

public static class Eventually
{
    /// <summary>Polls <paramref name="attempt"/> until it returns a value, failing with <paramref name="what"/> after the timeout.</summary>
    public static async Task<T> GetAsync<T>(Func<Task<T?>> attempt, string what, TimeSpan timeout)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await attempt() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < until, $"Timed out after {timeout} waiting for: {what}");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }
}
