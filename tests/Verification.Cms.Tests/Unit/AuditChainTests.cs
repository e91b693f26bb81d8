using Verification.Cms.Audit;

namespace Verification.Cms.Tests.Unit;

[Trait("Req", "R-18.1")]
public sealed class AuditChainTests
{
    [Fact]
    public void AnUntouchedChainVerifies() => Assert.Null(AuditChain.Verify(Chain(5)));

    [Fact]
    public void AnEditedEventIsNamed()
    {
        var chain = Chain(5);
        chain[2].Actor = "someone-else";
        var broken = AuditChain.Verify(chain);
        Assert.Equal(3, broken!.Sequence);
        Assert.Contains("edited", broken.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEditWhoseHashWasAlsoRecomputedBreaksTheNextLink()
    {
        var chain = Chain(5);
        chain[1].Details = "{\"forged\":\"true\"}";
        chain[1].Hash = AuditChain.ComputeHash(chain[1]);
        Assert.Equal(3, AuditChain.Verify(chain)!.Sequence);
    }

    [Fact]
    public void ADeletedEventLeavesAGap()
    {
        var chain = Chain(5);
        chain.RemoveAt(1);
        var broken = AuditChain.Verify(chain);
        Assert.Equal(3, broken!.Sequence);
        Assert.Contains("gap", broken.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TimesAreCutToMillisecondsSoBothDatabasesReturnWhatWasHashed()
    {
        var t = new DateTime(2026, 2, 16, 8, 30, 0, DateTimeKind.Utc).AddTicks(12_345_678);
        Assert.Equal(0, AuditChain.Normalize(t).Ticks % TimeSpan.TicksPerMillisecond);
    }

    private static List<AuditEvent> Chain(int count)
    {
        var list = new List<AuditEvent>();
        var previous = AuditChain.Genesis;
        for (var i = 1; i <= count; i++)
        {
            var e = new AuditEvent
            {
                Sequence = i,
                TimestampUtc = AuditChain.Normalize(DateTime.UtcNow),
                Category = AuditCategories.Security,
                Action = "login.succeeded",
                Actor = "gz.admin",
                SubjectType = "user",
                SubjectId = "gz.admin",
                PreviousHash = previous,
                Hash = string.Empty,
            };
            e.Hash = AuditChain.ComputeHash(e);
            previous = e.Hash;
            list.Add(e);
        }

        return list;
    }
}
