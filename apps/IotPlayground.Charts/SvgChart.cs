using System.Globalization;
using System.Net;
using System.Text;

namespace IotPlayground.Charts;

/// <summary>How a series is drawn.</summary>
public enum SeriesStyle
{
    Line,

    /// <summary>A line drawn dashed: a variant of the solid line beside it.</summary>
    DashedLine,

    Dots,
}

/// <summary>A named line (or set of dots) of a chart.</summary>
public sealed record ChartSeries(string Name, string Colour, IReadOnlyList<(double X, double Y)> Points, SeriesStyle Style = SeriesStyle.Line);

/// <summary>A labelled vertical rule at a value of the x axis: a point of the data worth pointing at, such as where two lines cross.</summary>
public sealed record ChartMarker(double X, string Label);

/// <summary>Plain SVG line charts with axes, ticks, units and a legend: no script, so that a report page is self-contained.</summary>
public static class SvgChart
{
    private static readonly int[] NiceSteps = [1, 2, 5, 10];
    private const int PlotWidth = 406, Height = 280, Left = 64, MinLegendWidth = 170, Top = 16, Bottom = 44;

    /// <summary>What a legend's name takes per character at its 12 px: a little more than the average, so that names fit.</summary>
    private const int LegendCharacterWidth = 7;

    public static string Lines(string title, string xAxis, string yAxis, IReadOnlyList<ChartSeries> series, IReadOnlyList<ChartMarker>? markers = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        markers ??= [];
        var points = series.SelectMany(s => s.Points).ToList();
        var maxX = NiceCeiling(points.Select(p => p.X).Concat(markers.Select(m => m.X)).DefaultIfEmpty(1).Max());
        var maxY = NiceCeiling(points.Count == 0 ? 1 : points.Max(p => p.Y));
        var legendLeft = Left + PlotWidth;
        var width = legendLeft + Math.Max(MinLegendWidth, 30 + (LegendCharacterWidth * series.Select(s => s.Name.Length).DefaultIfEmpty(0).Max()));
        double X(double x) => Left + x / maxX * PlotWidth;
        double Y(double y) => Height - Bottom - y / maxY * (Height - Top - Bottom);

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {Height}\" width=\"{width}\" height=\"{Height}\" role=\"img\" aria-label=\"{Encode(title)}\">"));
        svg.Append(Invariant($"<title>{Encode(title)}</title>"));
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Y(0)}\" x2=\"{X(maxX)}\" y2=\"{Y(0)}\" stroke=\"#333\"/><line x1=\"{Left}\" y1=\"{Y(0)}\" x2=\"{Left}\" y2=\"{Top}\" stroke=\"#333\"/>"));
        for (var tick = 0; tick <= 4; tick++)
        {
            var x = maxX * tick / 4;
            var y = maxY * tick / 4;
            svg.Append(Invariant($"<text x=\"{X(x)}\" y=\"{Height - Bottom + 16}\" font-size=\"11\" text-anchor=\"middle\">{Format(x)}</text>"));
            svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{Y(y) + 4}\" font-size=\"11\" text-anchor=\"end\">{Format(y)}</text>"));
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Y(y)}\" x2=\"{X(maxX)}\" y2=\"{Y(y)}\" stroke=\"#eee\"/>"));
        }

        svg.Append(Invariant($"<text x=\"{(Left + X(maxX)) / 2}\" y=\"{Height - 8}\" font-size=\"12\" text-anchor=\"middle\">{Encode(xAxis)}</text>"));
        svg.Append(Invariant($"<text transform=\"translate(14 {(Top + Y(0)) / 2}) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">{Encode(yAxis)}</text>"));
        for (var i = 0; i < markers.Count; i++)
        {
            // Labels stacked upwards from the x axis, so that markers close together stay readable.
            var at = X(markers[i].X);
            svg.Append(Invariant($"<line x1=\"{at:0.#}\" y1=\"{Y(0)}\" x2=\"{at:0.#}\" y2=\"{Top}\" stroke=\"#888\" stroke-dasharray=\"2 3\"/>"));
            svg.Append(Invariant($"<text x=\"{at + 4:0.#}\" y=\"{Y(0) - 8 - (i * 14)}\" font-size=\"11\" fill=\"#555\">{Encode(markers[i].Label)}</text>"));
        }

        for (var i = 0; i < series.Count; i++)
        {
            var line = series[i];
            if (line.Style == SeriesStyle.Dots)
            {
                foreach (var (x, y) in line.Points)
                {
                    svg.Append(Invariant($"<circle cx=\"{X(x):0.#}\" cy=\"{Y(y):0.#}\" r=\"3\" fill=\"{line.Colour}\"/>"));
                }
            }
            else if (line.Points.Count > 0)
            {
                var path = string.Join(' ', line.Points.Select(p => Invariant($"{X(p.X):0.#},{Y(p.Y):0.#}")));
                var dashes = line.Style == SeriesStyle.DashedLine ? " stroke-dasharray=\"6 4\"" : "";
                svg.Append(Invariant($"<polyline points=\"{path}\" fill=\"none\" stroke=\"{line.Colour}\" stroke-width=\"2\"{dashes}/>"));
            }

            svg.Append(Invariant($"<rect x=\"{legendLeft + 12}\" y=\"{Top + i * 18}\" width=\"12\" height=\"12\" fill=\"{line.Colour}\"/>"));
            svg.Append(Invariant($"<text x=\"{legendLeft + 30}\" y=\"{Top + 10 + i * 18}\" font-size=\"12\">{Encode(line.Name)}</text>"));
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>1, 2 or 5 times a power of ten, at or above <paramref name="value"/>: ticks a reader can take in at a glance.</summary>
    public static double NiceCeiling(double value)
    {
        if (value <= 0)
        {
            return 1;
        }

        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        return NiceSteps.Select(step => step * power).First(candidate => candidate >= value * (1 - 1e-9));
    }

    private static string Format(double value) => value.ToString(value >= 10 || value == 0 ? "#,0" : "0.##", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
