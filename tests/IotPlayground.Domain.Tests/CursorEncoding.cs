using IotPlayground.Domain;

namespace IotPlayground.Domain.Tests;

public sealed class CursorEncoding
{
    [Fact]
    public void RunCursorsRoundTrip()
    {
        var cursor = new RunCursor(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), Guid.NewGuid());

        Assert.True(RunCursor.TryDecode(cursor.Encode(), out var decoded));
        Assert.Equal(cursor, decoded);
    }

    [Fact]
    public void ReadingCursorsRoundTrip()
    {
        var cursor = new ReadingCursor(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), "greenhouse-1");

        Assert.True(ReadingCursor.TryDecode(cursor.Encode(), out var decoded));
        Assert.Equal(cursor, decoded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("%%%")]
    [InlineData("bm90LWEtY3Vyc29y")]
    [InlineData("MTIzfGJhZCBzZW5zb3I")]
    [InlineData("LTF8MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw")]
    public void AnythingElseIsNotACursor(string value)
    {
        Assert.False(RunCursor.TryDecode(value, out _));
        Assert.False(ReadingCursor.TryDecode(value, out _));
    }
}
