using Verification.Exchange.Catalogue;
using Verification.Exchange.Contract;
using Verification.Exchange.Simulation;

namespace Verification.Cms.Tests.Exchange;

/// <summary>The exchange contract, the catalogue and the simulators' data, without a host .</summary>
public sealed class ContractTests
{
    private static QueryRequest Request() => new(
        new MessageHeader("m1", DateTimeOffset.UtcNow, "vcms:test", "mps", "http://127.0.0.1/cb"),
        [new QueryItem("q1", TestSubjects.IdNumber(1), "张三", ["mps.hukou.registration"], TestSubjects.Authorization(1), "aa")]);

    [Fact]
    [Trait("Req", "R-18.4")]
    public void ASignedMessageVerifiesWithItsKeyAndAnyChangeOrOtherKeyBreaksIt()
    {
        using var key = MessageSigner.NewKey();
        using var other = MessageSigner.NewKey();
        var signed = MessageSigner.Sign(Request(), key);
        Assert.True(MessageSigner.Verify(signed, MessageSigner.PublicKeyPem(key)));
        Assert.False(MessageSigner.Verify(signed, MessageSigner.PublicKeyPem(other)));
        Assert.False(MessageSigner.Verify(signed with { Items = [signed.Items[0] with { SubjectIdNumber = TestSubjects.IdNumber(2) }] }, MessageSigner.PublicKeyPem(key)));
        Assert.False(MessageSigner.Verify(signed with { Header = signed.Header with { CallbackUrl = "http://evil.example/cb" } }, MessageSigner.PublicKeyPem(key)));
        Assert.False(MessageSigner.Verify(signed with { Signature = "not base64!" }, MessageSigner.PublicKeyPem(key)));
        Assert.False(MessageSigner.Verify(signed, "not a key"));
    }

    [Theory]
    [Trait("Req", "R-3.2")]
    [InlineData("", "aa", ReasonCodes.NoAuthorization)]
    [InlineData("授权书1号", "aa", ReasonCodes.NoAuthorization)]
    [InlineData("VALID", "", ReasonCodes.NoAuthorization)]
    [InlineData("VALID", "aa", null)]
    public void TheContractRefusesAQueryWithoutAnAuthorizationAndPurpose(string authorization, string purpose, string? expected)
    {
        var item = new QueryItem("q", TestSubjects.IdNumber(3), "李四", ["mps.hukou.registration"], authorization == "VALID" ? TestSubjects.Authorization(3) : authorization, purpose);
        Assert.Equal(expected, ContractRules.Refusal(item));
        Assert.Equal(ReasonCodes.Malformed, ContractRules.Refusal(item with { AuthorizationNumber = TestSubjects.Authorization(3), Purpose = "aa", SubjectIdNumber = "110105194912310021" }));
    }

    [Fact]
    [Trait("Req", "R-5.1")]
    [Trait("Req", "R-6.2")]
    public void TheCatalogueCoversTheRequiredSourcesAndEveryItemFeedsAKnownCategory()
    {
        var catalogue = DataSourceCatalogue.Shipped;
        Assert.True(catalogue.Sources.Count() >= 20);
        Assert.Equal(["basic", "income", "property", "expenditure", "other", "supplementary"], catalogue.Groups.Select(g => g.Code));
        Assert.All(catalogue.Items, i => Assert.NotNull(catalogue.Category(i.Category)));
        Assert.All(catalogue.Items.Where(i => i.AmountField is not null), i => Assert.Equal("money", i.Fields.Single(f => f.Key == i.AmountField).Type));
        foreach (var provider in new[] { "mca", "mps", "bank", "securities", "fund", "insurance", "payment", "nr", "hpf", "hrss", "tax", "samr", "dpf", "moe", "court" })
        {
            Assert.Contains(catalogue.Providers, p => p.Code == provider);
        }

        Assert.Equal(["aa", "ab", "ac", "ad", "ae", "af", "ag", "ah"], catalogue.ServiceItems.Select(s => s.Code));
        Assert.All(catalogue.ServiceItems.SelectMany(s => s.Items), code => Assert.NotNull(catalogue.Item(code)));
    }

    [Fact]
    [Trait("Req", "R-5.1")]
    public void SimulatedDataIsTheSameForTheSamePersonAndAboutOneHouseholdInFiveIsWellOff()
    {
        var vehicles = DataSourceCatalogue.Shipped.Item("mps.vehicle.registration")!;
        var first = SyntheticData.For(TestSubjects.IdNumber(7), "王五", vehicles);
        var again = SyntheticData.For(TestSubjects.IdNumber(7), "王五", vehicles);
        Assert.Equal(first.Select(r => r.Fields.ToJsonString()), again.Select(r => r.Fields.ToJsonString()));
        Assert.Single(SyntheticData.For(TestSubjects.IdNumber(7), "王五", DataSourceCatalogue.Shipped.Item("mps.hukou.registration")!));

        var wellOff = Enumerable.Range(0, 1000).Count(i => SyntheticData.WellOff(TestSubjects.IdNumber(i)));
        Assert.InRange(wellOff, 140, 260);
        var withVehicles = Enumerable.Range(0, 400).Count(i => SyntheticData.For(TestSubjects.IdNumber(i), "x", vehicles).Count > 0);
        Assert.InRange(withVehicles, 40, 200);
    }

    [Fact]
    [Trait("Req", "R-5.3")]
    public void ASimulatedProviderProcessesAMessageIdOnceAndRefusesStrangersAndStaleMessages()
    {
        using var engine = new ProviderSimulatorEngine(DataSourceCatalogue.Shipped, new SimulationFaults(), TimeProvider.System);
        using var key = MessageSigner.NewKey();
        var request = MessageSigner.Sign(Request(), key);
        Assert.Equal(ReasonCodes.UnknownSender, engine.Receive("mps", request).Acknowledgement!.ReasonCode);

        engine.RegisterClient("mps", "vcms:test", MessageSigner.PublicKeyPem(key));
        var first = engine.Receive("mps", request);
        Assert.Equal(Acknowledgement.Accepted, first.Acknowledgement!.Status);
        var result = System.Text.Json.JsonSerializer.Deserialize<QueryResult>(Assert.Single(first.Callbacks), MessageSigner.Json)!;
        Assert.True(MessageSigner.Verify(result, engine.PublicKey("mps")!));
        Assert.Equal("m1", result.Header.CorrelationId);
        Assert.Equal(ItemStatus.Success, Assert.Single(result.Results).Status);

        var again = engine.Receive("mps", request);
        Assert.Equal(Acknowledgement.Accepted, again.Acknowledgement!.Status);
        Assert.Empty(again.Callbacks);
        Assert.Equal((3L, 1L, 1L), engine.Counters);

        var stale = MessageSigner.Sign(request with { Header = request.Header with { MessageId = "m2", Timestamp = DateTimeOffset.UtcNow.AddMinutes(-10) } }, key);
        Assert.Equal(ReasonCodes.Stale, engine.Receive("mps", stale).Acknowledgement!.ReasonCode);
        var forged = request with { Header = request.Header with { MessageId = "m3" } };
        Assert.Equal(ReasonCodes.BadSignature, engine.Receive("mps", forged).Acknowledgement!.ReasonCode);
        Assert.Equal(TransactionStatus.Completed, engine.Status("mps", "m1").Status);
        Assert.Equal(TransactionStatus.Unknown, engine.Status("mps", "m9").Status);
    }
}
