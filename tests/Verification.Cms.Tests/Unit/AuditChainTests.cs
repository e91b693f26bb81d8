using Verification.Cms.Audit;

namespace Verification.Cms.Tests.Unit;

[Trait("Req", "R-18.1")]
public sealed class AuditChainTests
{
    private static readonly AuditKey Key = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), 1);

    [Fact]
    public void AnUntouchedChainVerifies() => Assert.Null(AuditChain.Verify(Chain(5), Key));

    [Fact]
    public void AChainRecomputedWithoutTheKeyDoesNotVerify()
    {
        // Whoever can write the database knows the algorithm but not the key (kept outside it).
        var chain = Chain(5);
        chain[2].Actor = "someone-else";
        var previous = AuditChain.Genesis;
        foreach (var e in chain)
        {
            e.PreviousHash = previous;
            e.Hash = AuditChain.ComputeHash(e, null);
            previous = e.Hash;
        }

        Assert.Equal(1, AuditChain.Verify(chain, Key)!.Sequence);
        Assert.Null(AuditChain.Verify(chain, null));
    }

    [Fact]
    public void EventsBeforeTheKeyKeepTheirUnkeyedHashesAndAreBoundByTheKeyedOnes()
    {
        var upgraded = new AuditKey(Key.Secret, 4);
        var chain = Chain(6, upgraded);
        Assert.Null(AuditChain.Verify(chain, upgraded));
        chain[1].Details = "{\"forged\":\"true\"}";
        chain[1].Hash = AuditChain.ComputeHash(chain[1], null);
        chain[2].PreviousHash = chain[1].Hash;
        chain[2].Hash = AuditChain.ComputeHash(chain[2], null);
        Assert.Equal(4, AuditChain.Verify(chain, upgraded)!.Sequence);
    }

    [Fact]
    public void AnEditedEventIsNamed()
    {
        var chain = Chain(5);
        chain[2].Actor = "someone-else";
        var broken = AuditChain.Verify(chain, Key);
        Assert.Equal(3, broken!.Sequence);
        Assert.Contains("edited", broken.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEditWhoseHashWasAlsoRecomputedBreaksTheNextLink()
    {
        var chain = Chain(5);
        chain[1].Details = "{\"forged\":\"true\"}";
        chain[1].Hash = AuditChain.ComputeHash(chain[1], Key.Secret);
        Assert.Equal(3, AuditChain.Verify(chain, Key)!.Sequence);
    }

    [Fact]
    public void ADeletedEventLeavesAGap()
    {
        var chain = Chain(5);
        chain.RemoveAt(1);
        var broken = AuditChain.Verify(chain, Key);
        Assert.Equal(3, broken!.Sequence);
        Assert.Contains("gap", broken.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TimesAreCutToMillisecondsSoBothDatabasesReturnWhatWasHashed()
    {
        var t = new DateTime(2026, 2, 16, 8, 30, 0, DateTimeKind.Utc).AddTicks(12_345_678);
        Assert.Equal(0, AuditChain.Normalize(t).Ticks % TimeSpan.TicksPerMillisecond);
    }

    private static List<AuditEvent> Chain(int count, AuditKey? key = null)
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
            key ??= Key;
            e.Hash = AuditChain.ComputeHash(e, i >= key.KeyedFrom ? key.Secret : null);
            previous = e.Hash;
            list.Add(e);
        }

        return list;
    }
}
