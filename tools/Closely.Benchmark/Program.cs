using Closely.Benchmark;

// The throughput benchmark (issue 13, ADR 37) against the servers named by CLOSELY_TEST_* (./bench.sh starts them).
if (!BenchmarkOptions.TryParse(args, out var options))
{
    await Console.Error.WriteLineAsync(BenchmarkOptions.Usage);
    return 2;
}

var result = await BenchmarkRun.RunAsync(options, Console.Out, CancellationToken.None);
return result.AllCompleted ? 0 : 1;
