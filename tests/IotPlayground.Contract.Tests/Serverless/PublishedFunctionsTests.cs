using System.Net;
using System.Runtime.Versioning;
using IotPlayground.Testing;

namespace IotPlayground.Contract.Tests.Serverless;

/// <summary>
/// What the CDK ships: each function a native executable alone (no managed bootstrap.dll, which provided.al2023 could
/// not start without a .NET runtime), and the arm64 build, cross-compiled on this machine, answering under qemu-user.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class PublishedFunctionsTests
{
    private const ushort ElfMachineX64 = 0x3E;
    private const ushort ElfMachineArm64 = 0xB7;

    [Theory]
    [InlineData(TestFunctions.RunApi)]
    [InlineData(TestFunctions.SensorApi)]
    public void TheTestedBuildIsANativeExecutableAlone(string function)
    {
        var bootstrap = TestFunctions.Bootstrap(TestFunctions.NativeAot, function);

        Assert.Equal(["bootstrap"], Directory.GetFiles(Path.GetDirectoryName(bootstrap)!).Select(Path.GetFileName));
        Assert.Equal(ElfMachineX64, ElfMachine(bootstrap));
    }

    [Fact]
    public async Task TheArm64BuildStartsARunAndIngestsAReadingUnderQemu()
    {
        using var emulated = new EmulatedFunctions(TestFunctions.Arm64);
        Assert.All(emulated.Bootstraps, b => Assert.Equal(ElfMachineArm64, ElfMachine(b)));
        var tables = $"arm64_{Guid.NewGuid():N}";
        await using var host = await LambdaHostProcess.StartAsync(
            TestDynamoDb.SharedServer, $"{tables}_Runs", $"{tables}_SensorData", "http://127.0.0.1:3000", functions: emulated.Folder);
        using var client = new HttpClient { BaseAddress = host.BaseAddress };

        var run = await client.StartedRun("graviton");
        using var reading = await client.PostReading("graviton", run["id"]!.GetValue<string>());

        Assert.Equal("RUNNING", run["status"]!.GetValue<string>());
        Assert.True(reading.StatusCode == HttpStatusCode.Created, $"{reading.StatusCode}{Environment.NewLine}{host.RecentOutput}");
    }

    /// <summary>The e_machine field of an ELF header: which processor the executable is for.</summary>
    private static ushort ElfMachine(string executable)
    {
        var header = new byte[20];
        using (var file = File.OpenRead(executable))
        {
            file.ReadExactly(header);
        }

        Assert.Equal([0x7F, (byte)'E', (byte)'L', (byte)'F'], header[..4]);
        return BitConverter.ToUInt16(header, 18);
    }

    /// <summary>
    /// A folder of bootstrap scripts that start the arm64 executables under qemu-user, with the cross C library as their
    /// root (this machine's kernel cannot run them itself: no binfmt_misc here) and the arm64 OpenSSL that
    /// tests/scripts/install-prerequisites.sh unpacks into .local/arm64-libs: .NET loads it to sign DynamoDB requests.
    /// </summary>
    private sealed class EmulatedFunctions : IDisposable
    {
        public EmulatedFunctions(string published)
        {
            foreach (var function in new[] { TestFunctions.RunApi, TestFunctions.SensorApi })
            {
                var bootstrap = TestFunctions.Bootstrap(published, function);
                var script = TestFunctions.Bootstrap(Folder, function);
                Directory.CreateDirectory(Path.GetDirectoryName(script)!);
                File.WriteAllText(
                    script,
                    $"#!/bin/sh\nLD_LIBRARY_PATH='{OpenSsl}' exec qemu-aarch64-static -L /usr/aarch64-linux-gnu '{bootstrap}' \"$@\"\n");
                File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                Bootstraps.Add(bootstrap);
            }
        }

        private static readonly string OpenSsl = Repository.Path(".local", "arm64-libs", "usr", "lib", "aarch64-linux-gnu");

        public string Folder { get; } = Directory.CreateTempSubdirectory("iotplayground-arm64-").FullName;

        public List<string> Bootstraps { get; } = [];

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }
}
