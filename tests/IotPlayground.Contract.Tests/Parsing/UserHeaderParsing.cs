using IotPlayground.Contract;
using IotPlayground.Domain;

namespace IotPlayground.Contract.Tests.Parsing;

public sealed class UserHeaderParsing
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("bob smith")]
    [InlineData("ålice")]
    public void AMissingOrInvalidHeaderIsAnInvalidUser(string? header)
    {
        var user = RequestParsing.User(header);

        Assert.Equal(ErrorCode.InvalidUser, user.Error?.Code);
        Assert.Contains(HeaderNames.User, user.Error!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AValidHeaderIsTheUsersName() =>
        Assert.Equal("alice", RequestParsing.User("alice").Value!.Value);
}
