namespace JobManagement.Tests.Telemetry;

public sealed class LogTextTests
{
    [Theory]
    [InlineData("plain reason", "plain reason")]
    [InlineData("a\n[Error] forged", @"a\n[Error] forged")]
    [InlineData("a\r\nb\tc", @"a\r\nb\tc")]
    [InlineData("bell\u0007 nel\u0085 ls\u2028 ps\u2029 esc\u001b", @"bell\u0007 nel\u0085 ls\u2028 ps\u2029 esc\u001b")]
    [InlineData("", "")]
    public void Safe_EscapesLineBreaksAndControlCharacters(string text, string expected)
    {
        string sut = LogText.Safe(text);

        sut.Should().Be(expected);
        sut.Should().NotContainAny("\n", "\r", "\u0085", "\u2028", "\u2029");
    }

    [Fact]
    public void Safe_NothingToEscape_ReturnsTheSameInstance()
    {
        string text = "nothing to escape: ünïcödé, emoji 🙂";

        LogText.Safe(text).Should().BeSameAs(text);
        LogText.Safe(null).Should().BeEmpty();
    }
}
