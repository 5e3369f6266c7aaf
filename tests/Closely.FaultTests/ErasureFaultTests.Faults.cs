using System.Diagnostics;
using Closely.Cases.Saga;
using Closely.IntegrationTests.Infrastructure;
using Closely.ServiceProcesses;

namespace Closely.FaultTests;

// The faults: the broker's application stopped and started, services killed with SIGKILL and started again.
public sealed partial class ErasureFaultTests
{
    /// <summary>
    /// The faults, one after another: before each, the next share of the requests is released to the requesters and
    /// the fault waits until a case is being worked on (verified, not closed), so that every fault hits work in flight.
    /// </summary>
    private async Task InjectFaultsAsync(List<Request> requests)
    {
        (string Name, Func<Task<string>> Inject)[] faults =
        [
            ("RabbitMQ stop_app/start_app", RestartBrokerAsync),
            ("Cases killed (SIGKILL) and started", () => KillAndStartAsync(Platform.Cases)),
            ("DataLocator killed (SIGKILL) and started", () => KillAndStartAsync(Platform.DataLocator)),
            ("RabbitMQ stop_app/start_app", RestartBrokerAsync),
            ("ErasureExecutor killed (SIGKILL) and started", () => KillAndStartAsync(Platform.ErasureExecutor)),
            ("Notification killed (SIGKILL) and started", () => KillAndStartAsync(Platform.Notification)),
        ];
        var share = (requests.Count + faults.Length - 1) / faults.Length;
        for (var i = 0; i < faults.Length; i++)
        {
            Volatile.Write(ref _released, Math.Min(requests.Count, (i + 1) * share));
            var open = 0;
            await TestSettings.EventuallyAsync(async () =>
            {
                ThrowIfVerifierFailed();
                open = (await StatesAsync(requests)).Count(s => s.Value is CaseStates.Locating or CaseStates.Executing or CaseStates.PartiallyCompleted);
                return open > 0;
            }, $"a case in flight before fault {i + 1} ({faults[i].Name})", TimeSpan.FromSeconds(90));

            var at = _clock.Elapsed;
            var detail = await faults[i].Inject();
            _faults.Add(new InjectedFault($"{faults[i].Name} ({detail})", at, _clock.Elapsed, open));
        }
    }

    private async Task<string> RestartBrokerAsync()
    {
        var stopping = Stopwatch.StartNew();
        await Platform.Broker.StopAppAsync();
        var stopped = stopping.Elapsed;
        // The outage itself: the services' connections are gone and their sends fail meanwhile.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var starting = Stopwatch.StartNew();
        await Platform.Broker.StartAppAsync();
        return $"stop_app took {stopped.TotalSeconds:F1} s, start_app until ready {starting.Elapsed.TotalSeconds:F1} s";
    }

    private static async Task<string> KillAndStartAsync(ServiceProcess service)
    {
        await service.KillAsync();
        var starting = Stopwatch.StartNew();
        service.Start();
        await service.WaitUntilHealthyAsync(TimeSpan.FromSeconds(120));
        return $"healthy again after {starting.Elapsed.TotalSeconds:F1} s";
    }

    private sealed record InjectedFault(string Name, TimeSpan At, TimeSpan EndedAt, int OpenCases);
}
