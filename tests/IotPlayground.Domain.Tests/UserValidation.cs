using IotPlayground.Domain;

namespace IotPlayground.Domain.Tests;

public sealed class UserValidation
{
    [Theory]
    [InlineData("a")]
    [InlineData("alice.smith@example.com")]
    [InlineData("bob_1-2")]
    public void PlainNamesAreAccepted(string user)
    {
        Assert.True(UserName.TryParse(user, out var name));
        Assert.Equal(user, name.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("bob smith")]
    [InlineData("ålice")]
    [InlineData("x'; DROP TABLE runs;--")]
    [InlineData("a\nb")]
    public void AnythingElseIsAnInvalidUser(string? user)
    {
        Assert.False(UserName.TryParse(user, out _));
    }

    [Fact]
    public void SixtyFourCharactersIsTheLimit()
    {
        Assert.True(UserName.TryParse(new string('a', 64), out _));
        Assert.False(UserName.TryParse(new string('a', 65), out _));
    }
}
