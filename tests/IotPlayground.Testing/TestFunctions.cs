namespace IotPlayground.Testing;

/// <summary>
/// The Lambda functions as AWS runs them: Native AOT bootstraps that tests/run-all.sh publishes once for the whole run
/// (an AOT compile takes minutes), each in a folder of its own (RunApi/bootstrap, SensorApi/bootstrap).
/// </summary>
public static class TestFunctions
{
    /// <summary>Published for this machine's architecture; the local host runs these in every test.</summary>
    public const string NativeAotVariable = "IOTPLAYGROUND_TEST_FUNCTIONS";

    /// <summary>Cross-compiled for arm64 (Graviton), run under qemu-user.</summary>
    public const string Arm64Variable = "IOTPLAYGROUND_TEST_FUNCTIONS_ARM64";

    /// <summary>The functions' folders, as the local host's publish verb names them.</summary>
    public const string RunApi = "RunApi";

    public const string SensorApi = "SensorApi";

    public static string NativeAot => Published(NativeAotVariable);

    public static string Arm64 => Published(Arm64Variable);

    public static string Bootstrap(string folder, string function) => Path.Combine(folder, function, "bootstrap");

    private static string Published(string variable) =>
        Environment.GetEnvironmentVariable(variable)
        ?? throw new InvalidOperationException(
            $"{variable} is not set: run the tests with 'bash tests/run-all.sh', which publishes the functions for them.");
}
