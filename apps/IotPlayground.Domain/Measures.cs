namespace IotPlayground.Domain;

public static class Measures
{
    public static IReadOnlyList<string> Names { get; } = ["temperature", "humidity", "pressure"];

    public static string NameOf(Measure measure) => Names[(int)measure];

    public static bool TryParse(string? name, out Measure measure)
    {
        var index = name is null ? -1 : Names.IndexOf(name);
        measure = (Measure)Math.Max(index, 0);
        return index >= 0;
    }

    private static int IndexOf(this IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        return -1;
    }
}
