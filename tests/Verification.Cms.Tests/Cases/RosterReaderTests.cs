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
        [.. reading.Problems, .. IntakeCheck.Check("aa", ["aa", "ah"], reading.Households, authorizationsRequired: false, new DateOnly(2026, 12, 2))];

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

    /// <summary>
    /// A workbook as Excel and WPS write one (MiniExcel writes none of this): the first sheet in workbook.xml's
    /// order is a second sheet part, texts are shared strings (one in rich-text runs with a phonetic guide),
    /// one cell is an inline string, numbers are numbers, empty cells are left out and a blank row is skipped.
    /// </summary>
    [Fact]
    [Trait("Req", "R-3.1")]
    public void AWorkbookWithSharedStringsRichTextAndSparseRowsIsReadAsExcelShowsIt()
    {
        var head = TestSubjects.IdNumber(30);
        var member = TestSubjects.IdNumber(31);
        string[] shared = ["户主姓名", "户主身份证号", "成员姓名", "成员身份证号", "与户主关系", "乡镇（街道）", "张三", head, member, "雕庄街道"];
        var sharedXml = string.Concat(shared.Select((s, i) => i == 6
            ? "<si><r><t>张</t></r><r><rPr><b/></rPr><t>三</t></r><rPh sb=\"0\" eb=\"1\"><t>ZHANG</t></rPh></si>"
            : $"<si><t>{s}</t></si>"));
        const string Ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"";
        string Cell(string reference, int sharedIndex) => $"<c r=\"{reference}\" t=\"s\"><v>{sharedIndex}</v></c>";
        var sheet = $"""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet {Ns}><sheetData>
              <row r="1">{Cell("A1", 0)}{Cell("B1", 1)}{Cell("C1", 2)}{Cell("D1", 3)}{Cell("E1", 4)}{Cell("G1", 5)}</row>
              <row r="2">{Cell("A2", 6)}{Cell("B2", 7)}{Cell("C2", 6)}{Cell("D2", 7)}<c r="E2"><v>1</v></c>{Cell("G2", 9)}</row>
              <row r="3"><c r="A3" s="1"/></row>
              <row r="5">{Cell("A5", 6)}{Cell("B5", 7)}<c r="C5" t="inlineStr"><is><t xml:space="preserve">李四 </t></is></c>{Cell("D5", 8)}<c r="E5" t="str"><v>10</v></c>{Cell("G5", 9)}</row>
            </sheetData></worksheet>
            """;
        var decoy = $"<worksheet {Ns}><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>说明</t></is></c></row></sheetData></worksheet>";
        using var stream = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            void Entry(string name, string xml)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(xml);
            }

            Entry("xl/workbook.xml", $"<workbook {Ns} xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"名册\" sheetId=\"2\" r:id=\"rId7\"/><sheet name=\"说明\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
            Entry("xl/_rels/workbook.xml.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId7\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/></Relationships>");
            Entry("xl/worksheets/sheet1.xml", decoy);
            Entry("xl/worksheets/sheet2.xml", sheet);
            Entry("xl/sharedStrings.xml", $"<sst {Ns} count=\"{shared.Length}\" uniqueCount=\"{shared.Length}\">{sharedXml}</sst>");
        }

        stream.Position = 0;
        var reading = RosterReader.Read(stream);
        Assert.Empty(Check(reading));
        var (row, household) = Assert.Single(reading.Households);
        Assert.Equal(2, row);
        Assert.Equal(("张三", head, "雕庄街道"), (household.HeadName, household.HeadIdNumber, household.Street));
        Assert.Equal([("张三", head, "01"), ("李四", member, "10")], household.Members.Select(m => (m.Name, m.IdNumber, m.Relation)));
    }

    [Fact]
    [Trait("Req", "R-4.1")]
    public void ASharedStringThatDoesNotExistRefusesTheWorkbook()
    {
        using var saved = Workbook([Row("张三", TestSubjects.IdNumber(1), "张三", TestSubjects.IdNumber(1))]);
        using var broken = new MemoryStream();
        saved.CopyTo(broken);
        using (var zip = new System.IO.Compression.ZipArchive(broken, System.IO.Compression.ZipArchiveMode.Update, leaveOpen: true))
        {
            var sheet = zip.Entries.First(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal));
            sheet.Delete();
            using var writer = new StreamWriter(zip.CreateEntry(sheet.FullName).Open());
            writer.Write("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>99</v></c></row></sheetData></worksheet>");
        }

        broken.Position = 0;
        Assert.Equal("The file is not an Excel workbook (.xlsx).", Assert.Single(RosterReader.Read(broken).Problems).Message);
    }
    [Theory]
    [Trait("Req", "R-4.1")]
    [InlineData("<c r=\"A1\" t=\"inlineStr\"><is><t>{0}</t></is></c>")]
    [InlineData("<c r=\"A1\" t=\"str\"><v>{0}</v></c>")]
    public void ACellLargerThanExcelAllowsIsRefusedWithoutFillingMemory(string cell)
    {
        // 200 million characters compress to a few hundred kilobytes: the shape of the roster that once cost 426 MB.
        using var bomb = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(bomb, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry("xl/worksheets/sheet1.xml", System.IO.Compression.CompressionLevel.SmallestSize).Open());
            var parts = cell.Split("{0}");
            writer.Write("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\">" + parts[0]);
            var block = new string('x', 1 << 20);
            for (var i = 0; i < 200; i++)
            {
                writer.Write(block);
            }

            writer.Write(parts[1] + "</row></sheetData></worksheet>");
        }

        Assert.True(bomb.Length < 2 * 1024 * 1024);
        bomb.Position = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var problem = Assert.Single(RosterReader.Read(bomb).Problems);
        Assert.Equal("A cell holds more than 32,767 characters (more than Excel allows): the file was not saved by a spreadsheet program.", problem.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 32L * 1024 * 1024, "the cell was read a piece at a time");
    }
}
