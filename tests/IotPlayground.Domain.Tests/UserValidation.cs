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
        Assert.Equal(user, Users.Validate(user).Value);
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
        Assert.Equal(ErrorCode.InvalidUser, Users.Validate(user).Error?.Code);
    }

    [Fact]
    public void SixtyFourCharactersIsTheLimit()
    {
        Assert.True(Users.Validate(new string('a', 64)).Succeeded);
        Assert.False(Users.Validate(new string('a', 65)).Succeeded);
    }
}
