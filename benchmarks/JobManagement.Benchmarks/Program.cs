// Benchmarks and the peer comparison. Always run in Release:
//   dotnet run -c Release --project benchmarks/JobManagement.Benchmarks -- --filter '*'            (BenchmarkDotNet, MediumRun unless --job is given)
//   dotnet run -c Release --project benchmarks/JobManagement.Benchmarks -- --filter '*' --job short
//   dotnet run -c Release --project benchmarks/JobManagement.Benchmarks -- compare --events 100000 --jobs 1000 --rounds 5
//   dotnet run -c Release --project benchmarks/JobManagement.Benchmarks -- allocations --events 200000   (which types the ingest path allocates)
//   dotnet run -c Release --project benchmarks/JobManagement.Benchmarks -- breakdown --events 200000     (what each step of an ingest costs)
//   dotnet run -c Release --project benchmarks/JobManagement.Benchmarks -- ingest-cpu --rounds 15          (ingest vs baseline by CPU time: steadier on a shared machine)
//   dotnet run -c Release --project benchmarks/JobManagement.Benchmarks -- tracing --events 50000 --rounds 9   (ingest with and without a telemetry listener, and a bare span's floor, taking turns)
//   dotnet run -c Release --project benchmarks/JobManagement.Benchmarks -- durable --journal sqlite|postgres|both --events 20000   (durable appends/s vs raw inserts)
//   dotnet run -c Release --project benchmarks/JobManagement.Benchmarks -- replay --entries 1000000 --page 10000   (SQLite ReadAllAsync entries/s)
//   dotnet run -c Release --project benchmarks/JobManagement.Benchmarks -- jobs --jobs 20000 --sqlite-jobs 10000 --rounds 3   (jobs completed/s: in-memory, SQLite, Quartz.NET)
//   dotnet run -c Release --project benchmarks/JobManagement.Benchmarks -- lifecycle-loop 40   (JobLifecycleBenchmarks' loop without BenchmarkDotNet, for a profiler)
//   dotnet run -c Release --project benchmarks/JobManagement.Benchmarks -- waiting-retained 5000   (what a job waiting in the queue keeps alive: journal, cached state; and a finished job)
//   dotnet run -c Release --project benchmarks/JobManagement.Benchmarks -- jobs-breakdown --jobs 20000 --sqlite-jobs 5000   (what each step of a job costs, without the worker)
using BenchmarkDotNet.Running;
using JobManagement.Benchmarks;
using JobManagement.Benchmarks.Compare;
using JobManagement.Benchmarks.Durable;
using JobManagement.Benchmarks.Execution;

if (args.Length > 0 && args[0] == "compare")
{
    return await CompareHarness.RunAsync(CompareOptions.Parse(args[1..]));
}

if (args.Length > 0 && args[0] == "breakdown")
{
    return await CostBreakdown.RunAsync(CompareOptions.Parse(args[1..]));
}

if (args.Length > 0 && args[0] == "durable")
{
    return await DurableHarness.RunAsync(DurableOptions.Parse(args[1..]));
}

if (args.Length > 0 && args[0] == "replay")
{
    return await ReplayHarness.RunAsync(DurableOptions.Parse(args[1..]));
}

if (args.Length > 0 && args[0] == "jobs")
{
    return await JobsHarness.RunAsync(JobsOptions.Parse(args[1..]));
}

if (args.Length > 0 && args[0] == "lifecycle-loop")
{
    // JobLifecycleBenchmarks' loop in this process, for a profiler (perf, dotnet-trace): N iterations of 5,000 jobs.
    var lifecycle = new JobLifecycleBenchmarks();
    int iterations = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 40;
    var clock = System.Diagnostics.Stopwatch.StartNew();
    for (int i = 0; i < iterations; i++)
    {
        lifecycle.Setup();
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1);
        TimeSpan paused = GC.GetTotalPauseDuration();
        clock.Restart();
        await lifecycle.CreateClaimRunSucceed();
        Console.WriteLine(FormattableString.Invariant($"iteration {i}: {clock.Elapsed.TotalMicroseconds / JobLifecycleBenchmarks.JobsPerInvoke:N2} µs/job, {GC.CollectionCount(0) - gen0} gen0 / {GC.CollectionCount(1) - gen1} gen1 collections, {(GC.GetTotalPauseDuration() - paused).TotalMicroseconds / JobLifecycleBenchmarks.JobsPerInvoke:N2} µs/job paused"));
        lifecycle.Cleanup();
    }

    return 0;
}

if (args.Length > 0 && args[0] == "waiting-retained")
{
    return await WaitingRetained.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5_000);
}

if (args.Length > 0 && args[0] == "jobs-breakdown")
{
    return await JobsBreakdown.RunAsync(JobsOptions.Parse(args[1..]));
}

if (args.Length > 0 && args[0] == "ingest-cpu")
{
    return await IngestCpuProfile.RunAsync(CompareOptions.Parse(args[1..]));
}

if (args.Length > 0 && args[0] == "tracing")
{
    return await TracingOverhead.RunAsync(CompareOptions.Parse(args[1..]));
}

if (args.Length > 0 && args[0] == "allocations")
{
    return await AllocationProfile.RunAsync(CompareOptions.Parse(args[1..]));
}

// A 2-core machine runs the whole suite in a few minutes with MediumRun; --job short/default/long overrides it.
string[] switcherArgs = args.Any(static a => a is "--job" or "-j") ? args : [.. args, "--job", "medium"];
BenchmarkSwitcher.FromAssembly(typeof(IngestBenchmarks).Assembly).Run(switcherArgs);
return 0;
