using System.Globalization;

namespace IotPlayground.ColdStartBench;

/// <summary>
/// One process held to a Lambda memory setting. Lambda gives a function CPU in proportion to its memory (1,769 MB buys
/// one vCPU) and stops it beyond its memory; a cgroup (v1, as root) reproduces both: a CPU quota of memory / 1,769 of
/// one CPU per scheduling period and a memory limit, which the .NET GC also reads to size its heap as it does in Lambda.
/// </summary>
internal sealed class LambdaSize : IDisposable
{
    /// <summary>AWS: "at 1,769 MB, a function has the equivalent of one vCPU".</summary>
    public const int MegabytesPerVcpu = 1769;

    private const string CpuRoot = "/sys/fs/cgroup/cpu";
    private const string MemoryRoot = "/sys/fs/cgroup/memory";
    private const int PeriodMicroseconds = 100_000;

    private readonly string _cpu;
    private readonly string _memory;

    private LambdaSize(int memoryMiB, string name)
    {
        MemoryMiB = memoryMiB;
        _cpu = Path.Combine(CpuRoot, name);
        _memory = Path.Combine(MemoryRoot, name);
        Directory.CreateDirectory(_cpu);
        Directory.CreateDirectory(_memory);
        var quota = (long)PeriodMicroseconds * memoryMiB / MegabytesPerVcpu;
        File.WriteAllText(Path.Combine(_cpu, "cpu.cfs_period_us"), PeriodMicroseconds.ToString(CultureInfo.InvariantCulture));
        File.WriteAllText(Path.Combine(_cpu, "cpu.cfs_quota_us"), quota.ToString(CultureInfo.InvariantCulture));
        File.WriteAllText(Path.Combine(_memory, "memory.limit_in_bytes"), (memoryMiB * 1_048_576L).ToString(CultureInfo.InvariantCulture));
    }

    public int MemoryMiB { get; }

    /// <summary>The share of one CPU the setting buys.</summary>
    public double Vcpu => (double)MemoryMiB / MegabytesPerVcpu;

    /// <summary>Null (with the reason) where this machine does not let the bench make cgroups: not root, or no cgroup v1.</summary>
    public static LambdaSize? TryCreate(int memoryMiB, out string? why)
    {
        if (!Directory.Exists(CpuRoot) || !Directory.Exists(MemoryRoot))
        {
            why = $"no cgroup v1 cpu and memory controllers at {CpuRoot} and {MemoryRoot}";
            return null;
        }

        try
        {
            why = null;
            return new LambdaSize(memoryMiB, $"iotplayground-bench-{Environment.ProcessId}-{memoryMiB}");
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            why = $"cannot make a cgroup ({e.Message})";
            return null;
        }
    }

    /// <summary>A command that joins the cgroups, then becomes <paramref name="executable"/>: limited from its first instruction.</summary>
    public (string FileName, IReadOnlyList<string> Arguments) Command(string executable) =>
        ("/bin/sh", ["-c", $"echo $$ > {_cpu}/cgroup.procs && echo $$ > {_memory}/cgroup.procs && exec \"$0\"", executable]);

    public void Dispose()
    {
        // A cgroup can be removed once its processes are gone; the bench has killed them by now.
        Directory.Delete(_cpu);
        Directory.Delete(_memory);
    }
}
