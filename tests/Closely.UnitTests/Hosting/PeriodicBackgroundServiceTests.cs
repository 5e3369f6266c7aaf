using System.Threading.Channels;
using Closely.BuildingBlocks.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Closely.UnitTests.Hosting;

public sealed class PeriodicBackgroundServiceTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Runs_a_pass_at_start_and_then_one_per_interval_of_its_clock()
    {
        var clock = new FakeTimeProvider();
        using var service = new CountingService(clock, failFirst: false);
        await service.StartAsync(CancellationToken.None);

        Assert.Equal(1, await service.Passes.ReadAsync().AsTask().WaitAsync(Wait));
        clock.Advance(Interval - TimeSpan.FromSeconds(1));
        Assert.False(service.Passes.TryRead(out _));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, await service.Passes.ReadAsync().AsTask().WaitAsync(Wait));

        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_failed_pass_is_reported_and_the_next_tick_runs_again()
    {
        var clock = new FakeTimeProvider();
        using var service = new CountingService(clock, failFirst: true);
        await service.StartAsync(CancellationToken.None);

        Assert.Equal(1, await service.Passes.ReadAsync().AsTask().WaitAsync(Wait));
        var failure = await service.Failures.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.IsType<InvalidOperationException>(failure);

        clock.Advance(Interval);
        Assert.Equal(2, await service.Passes.ReadAsync().AsTask().WaitAsync(Wait));
        Assert.False(service.Failures.TryRead(out _));
        Assert.True(service.ExecuteTask is { IsCompleted: false });

        await service.StopAsync(CancellationToken.None);
        Assert.True(service.ExecuteTask!.IsCompletedSuccessfully || service.ExecuteTask.IsCanceled);
    }

    private sealed class CountingService(FakeTimeProvider clock, bool failFirst) : PeriodicBackgroundService(Interval, clock)
    {
        private readonly Channel<int> _passes = Channel.CreateUnbounded<int>();
        private readonly Channel<Exception> _failures = Channel.CreateUnbounded<Exception>();
        private int _count;

        public ChannelReader<int> Passes => _passes.Reader;

        public ChannelReader<Exception> Failures => _failures.Reader;

        protected override Task RunPassAsync(CancellationToken cancellationToken)
        {
            var pass = Interlocked.Increment(ref _count);
            _passes.Writer.TryWrite(pass);
            return failFirst && pass == 1 ? throw new InvalidOperationException("the store is away") : Task.CompletedTask;
        }

        protected override void OnPassFailed(Exception exception) => _failures.Writer.TryWrite(exception);
    }
}
