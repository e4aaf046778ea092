using BenchmarkDotNet.Running;
using Kindling.Bench;

BenchmarkSwitcher.FromAssembly(typeof(TrackerBenchmarks).Assembly).Run(args);
return 0;
