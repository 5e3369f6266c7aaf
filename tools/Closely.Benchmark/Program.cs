using Closely.Benchmark;

// The throughput benchmark (issue 13, ADR 37), or with --curve the locate/erase cost curve (ADR 43), against the
// servers named by CLOSELY_TEST_* (./bench.sh starts them).
if (!BenchmarkOptions.TryParse(args, out var options))
{
    await Console.Error.WriteLineAsync(BenchmarkOptions.Usage);
    return 2;
}

if (options.Curve)
{
    var curve = await CostCurve.RunAsync(options, Console.Out, CancellationToken.None);
    return curve.AllIndexed ? 0 : 1;
}

var result = await BenchmarkRun.RunAsync(options, Console.Out, CancellationToken.None);
return result.AllCompleted ? 0 : 1;
