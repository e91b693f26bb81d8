using MiniExcelLibs;
using Verification.Cases.Intake;
using Verification.Cms.Tests.Exchange;

namespace Verification.Cms.Tests.Cases;

/// <summary>The roster of H annex B (table B.2) and the intake review: each problem with its row and H 8.2.3 ground.</summary>
public sealed class RosterReaderTests
{
    private static MemoryStream Workbook(IEnumerable<Dictionary<string, object?>> rows)
    {
        var stream = new MemoryStream();
        stream.SaveAs(rows);
        stream.Position = 0;
        return stream;
    }

    private static Dictionary<string, object?> Row(string head, string headId, string member, string memberId, string? relation = null, string street = "雕庄街道") => new()
    {
        ["序号"] = 1, ["市（州）"] = "常州市", ["县（市、区）"] = "天宁区", ["乡镇（街道）"] = street, ["户主姓名"] = head, ["户主身份证号"] = headId,
        ["成员姓名"] = member, ["成员身份证号"] = memberId, ["与户主关系"] = relation,
    };

    private static List<IntakeProblem> Check(RosterReading reading) =>
        [.. reading.Problems, .. IntakeCheck.Check("aa", ["aa", "ah"], reading.Households, authorizationsRequired: false)];

    [Fact]
    [Trait("Req", "R-3.1")]
    public void RowsOfOneHeadFormOneHouseholdWithRelationsByCodeOrName()
    {
        var a = TestSubjects.IdNumber(1);
        var reading = RosterReader.Read(Workbook([Row("张三", a, "张三", a, "01"), Row("张三", a, "李四", TestSubjects.IdNumber(2), "配偶"), Row("王五", TestSubjects.IdNumber(3), "王五", TestSubjects.IdNumber(3))]));
        Assert.Empty(Check(reading));
        Assert.Equal(2, reading.Households.Count);
        var first = reading.Households[0].Household;
        Assert.Equal(["01", "10"], first.Members.Select(m => m.Relation));
        Assert.Equal(("常州市", "天宁区", "雕庄街道"), (first.City, first.County, first.Street));
        Assert.Equal(2, reading.Households[0].Row);
    }

    [Fact]
    [Trait("Req", "R-4.2")]
    [Trait("Req", "R-4.3")]
    public void BadChecksumsDuplicatesMixedHouseholdsAndMissingHeadsAreEachNamedByRow()
    {
        var a = TestSubjects.IdNumber(10);
        var b = TestSubjects.IdNumber(11);
        var c = TestSubjects.IdNumber(12);
        var badChecksum = TestSubjects.IdNumber(13)[..17] + (TestSubjects.IdNumber(13)[17] == '1' ? '2' : '1');
        var reading = RosterReader.Read(Workbook(
        [
            Row("张三", a, "张三", a),
            Row("张三", a, "李四", b),
            Row("张三", a, "李四", b),             // listed twice in one household
            Row("王五", c, "王五", c),
            Row("王五", c, "李四", b),             // also in another household
            Row("王五", c, "赵六", badChecksum),   // bad check character
            Row("钱七", TestSubjects.IdNumber(14), "孙八", TestSubjects.IdNumber(15)), // the head is not a member
            Row("张三", a, "周九", TestSubjects.IdNumber(16), street: "红梅街道"), // the same head elsewhere
        ]));
        var problems = Check(reading);
        Assert.Contains(problems, p => p.Message == "{0} ({1}) is listed twice in the household." && p.Ground == RejectionGrounds.Inconsistent);
        Assert.Contains(problems, p => p.Message == "{0} ({1}) is also a member of another household in this roster." && p.Row == 5);
        Assert.Contains(problems, p => p.Message == "The ID number of {0} fails the GB 11643 check character." && (string)p.Arguments[0] == "赵六");
        Assert.Contains(problems, p => p.Message == "The head of household {0} is not among the members." && (string)p.Arguments[0] == "钱七");
        Assert.Contains(problems, p => p.Message == "The head {0} appears with a different name or address than in row {1}." && p.Row == 9);
        Assert.All(problems, p => Assert.Contains(p.Ground, RejectionGrounds.All));
    }

    [Fact]
    [Trait("Req", "R-4.1")]
    public void AWorkbookWithoutTheRosterColumnsIsRefusedNamingThem()
    {
        var reading = RosterReader.Read(Workbook([new() { ["姓名"] = "张三", ["身份证"] = TestSubjects.IdNumber(1) }]));
        var problem = Assert.Single(reading.Problems);
        Assert.Equal("The roster lacks the columns: {0}.", problem.Message);
        Assert.Equal("户主姓名、户主身份证号、成员姓名、成员身份证号", problem.Arguments[0]);
        Assert.Empty(reading.Households);
    }

    [Fact]
    [Trait("Req", "R-4.1")]
    public void GarbageAndWorkbooksWithFormulasAreRefusedWhole()
    {
        var garbage = RosterReader.Read(new MemoryStream(System.Security.Cryptography.RandomNumberGenerator.GetBytes(1 << 20)));
        Assert.Equal("The file is not an Excel workbook (.xlsx).", Assert.Single(garbage.Problems).Message);
        var notZip = RosterReader.Read(new MemoryStream("户主姓名,户主身份证号\n张三,1"u8.ToArray()));
        Assert.Equal("The file is not an Excel workbook (.xlsx).", Assert.Single(notZip.Problems).Message);

        // A real formula cell (<f>) in the sheet: rewrite a saved workbook's first data cell as a formula.
        using var saved = Workbook([Row("张三", TestSubjects.IdNumber(1), "张三", TestSubjects.IdNumber(1))]);
        using var withFormula = new MemoryStream();
        saved.CopyTo(withFormula);
        using (var zip = new System.IO.Compression.ZipArchive(withFormula, System.IO.Compression.ZipArchiveMode.Update, leaveOpen: true))
        {
            var sheet = zip.Entries.First(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal));
            string xml;
            using (var reader = new StreamReader(sheet.Open()))
            {
                xml = reader.ReadToEnd();
            }

            sheet.Delete();
            var rewritten = zip.CreateEntry(sheet.FullName);
            using var writer = new StreamWriter(rewritten.Open());
            writer.Write(xml.Replace("<x:v>1</x:v>", "<x:f>1+1</x:f><x:v>2</x:v>", StringComparison.Ordinal).Replace("<v>1</v>", "<f>1+1</f><v>2</v>", StringComparison.Ordinal));
        }

        withFormula.Position = 0;
        Assert.Equal("The roster contains formulas; save it with values only.", Assert.Single(RosterReader.Read(withFormula).Problems).Message);
    }

    [Fact]
    [Trait("Req", "R-3.3")]
    public void AuthorizationNumbersMustHaveTheStandardFormAndBeUnique()
    {
        var a = TestSubjects.IdNumber(20);
        var rows = new List<Dictionary<string, object?>> { Row("张三", a, "张三", a), Row("张三", a, "李四", TestSubjects.IdNumber(21)), Row("张三", a, "王五", TestSubjects.IdNumber(22)) };
        rows[0]["授权书编号"] = "居经授第320400202600000001号";
        rows[1]["授权书编号"] = "居经授第320400202600000001号";
        rows[2]["授权书编号"] = "AUTH-1";
        var problems = RosterReader.Read(Workbook(rows)).Problems;
        Assert.Contains(problems, p => p.Message == "The authorization number {0} is also used in row {1}." && p.Row == 3);
        Assert.Contains(problems, p => p.Message == "The authorization number {0} does not have the form 居经授第…号 (R-3.3)." && p.Row == 4);
    }
}
