using BenchmarkDotNet.Running;
using Kindling.Bench;

// BenchmarkDotNet microbenchmarks by default; `fake` and `track` are the separate processes bench/run.sh
// drives for whole-process measurements (see bench/README.md).
return args.FirstOrDefault() switch
{
    "fake" => await FakeHost.RunAsync(args[1..]),
    "track" => await TrackerLoad.RunAsync(args[1..]),
    "submit-rate" => await SubmitRate.RunAsync(args[1..]),
    "startup" => await StartupProbe.RunAsync(),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(TrackerBenchmarks).Assembly).Run(args);
    return 0;
}
