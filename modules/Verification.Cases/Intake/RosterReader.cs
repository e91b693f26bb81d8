using MiniExcelLibs;
using Verification.Cases.Services;
using Verification.Forms.Models;

namespace Verification.Cases.Intake;

/// <summary>What a roster file held: households grouped from its rows (with the first row of each), or the problems that stop it.</summary>
public sealed record RosterReading(IReadOnlyList<(int? Row, HouseholdDraft Household)> Households, IReadOnlyList<IntakeProblem> Problems);

/// <summary>
/// Reads an Excel roster in the columns of H annex B table B.2 (序号, 市（州）, 县（市、区）, 乡镇（街道）,
/// 户主姓名, 户主身份证号, 成员姓名, 成员身份证号; optionally 与户主关系 as a GB/T 4761 code or name),
/// read in one pass (<see cref="WorksheetRows"/>). Rows of one head form one household. Every problem names its row (as Excel numbers it); a file
/// that is not a workbook, lacks a column, has too many rows, or holds formulas is refused whole.
/// </summary>
public static class RosterReader
{
    public const int MaxRows = 60_000;
    public const long MaxBytes = 20 * 1024 * 1024;

    private static readonly (string Key, string[] Names)[] Columns =
    [
        ("city", ["市（州）", "市(州)", "市"]),
        ("county", ["县（市、区）", "县(市、区)", "县", "区县"]),
        ("street", ["乡镇（街道）", "乡镇(街道)", "乡镇", "街道"]),
        ("headName", ["户主姓名"]),
        ("headId", ["户主身份证号", "户主身份证号码", "户主公民身份号码"]),
        ("memberName", ["成员姓名"]),
        ("memberId", ["成员身份证号", "成员身份证号码", "成员公民身份号码"]),
        ("relation", ["与户主关系", "家庭关系"]),
        ("authorization", ["授权书编号"]),
    ];

    private static readonly string[] Required = ["headName", "headId", "memberName", "memberId"];

    public static RosterReading Read(Stream workbook)
    {
        var problems = new List<IntakeProblem>();
        Worksheet sheet;
        try
        {
            sheet = WorksheetRows.Read(workbook, MaxRows + 1);
        }
        catch (CellTooLongException)
        {
            return Refused(new(null, "file", RejectionGrounds.NonCompliant, "A cell holds more than 32,767 characters (more than Excel allows): the file was not saved by a spreadsheet program."));
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or System.Xml.XmlException or NotSupportedException or ArgumentException)
        {
            return Refused(new(null, "file", RejectionGrounds.NonCompliant, "The file is not an Excel workbook (.xlsx)."));
        }

        // Formulas are refused rather than read by their cached values, which the department may never have seen.
        if (sheet.HasFormulas)
        {
            return Refused(new(null, "file", RejectionGrounds.NonCompliant, "The roster contains formulas; save it with values only."));
        }

        var rows = sheet.Rows;
        if (rows.Count == 0)
        {
            return Refused(new(null, "file", RejectionGrounds.MissingMaterials, "The roster lists no household."));
        }

        var map = HeaderMap(rows[0].Cells);
        var missing = Required.Where(k => !map.ContainsKey(k)).Select(k => Columns.First(c => c.Key == k).Names[0]).ToList();
        if (missing.Count > 0)
        {
            return Refused(new(rows[0].Number, "header", RejectionGrounds.NonCompliant, "The roster lacks the columns: {0}.", string.Join("、", missing)));
        }

        if (sheet.MoreRows)
        {
            return Refused(new(null, "file", RejectionGrounds.NonCompliant, "The roster has more than {0} rows; split it.", MaxRows));
        }

        var households = new Dictionary<string, (int Row, string HeadName, string? City, string? County, string? Street, List<NewMember> Members, List<AuthorizationDraft> Authorizations)>(StringComparer.Ordinal);
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 1; i < rows.Count; i++)
        {
            var rowNumber = rows[i].Number;
            var cells = rows[i].Cells;
            string? Cell(string key) => map.TryGetValue(key, out var column) && cells.TryGetValue(column, out var v) ? v.Trim() : null;
            var (headName, headId, memberName, memberId) = (Cell("headName") ?? string.Empty, IntakeCheck.Normalize(Cell("headId") ?? string.Empty), Cell("memberName") ?? string.Empty, IntakeCheck.Normalize(Cell("memberId") ?? string.Empty));
            if (headName.Length + headId.Length + memberName.Length + memberId.Length == 0)
            {
                continue;
            }

            if (new[] { headName, memberName, Cell("city"), Cell("county"), Cell("street") }.Any(Verification.Cms.Text.SpreadsheetCells.IsFormulaLike))
            {
                problems.Add(new(rowNumber, "memberName", RejectionGrounds.NonCompliant, "A cell begins with =, +, - or @; names and places are plain text."));
                continue;
            }

            if (headId.Length == 0 || memberId.Length == 0 || memberName.Length == 0 || headName.Length == 0)
            {
                problems.Add(new(rowNumber, "row", RejectionGrounds.MissingMaterials, "The row lacks a head or member name or ID number."));
                continue;
            }

            var relation = Relation(Cell("relation"), memberId == headId);
            if (relation is null)
            {
                problems.Add(new(rowNumber, "relation", RejectionGrounds.NonCompliant, "The relationship {0} is not a GB/T 4761 code or name.", Cell("relation") ?? string.Empty));
                continue;
            }

            var number = Cell("authorization");
            if (!string.IsNullOrEmpty(number) && !Verification.Cms.Numbering.DocumentNumbers.IsAuthorizationNumber(number))
            {
                problems.Add(new(rowNumber, "authorization", RejectionGrounds.NonCompliant, "The authorization number {0} does not have the form 居经授第…号 (R-3.3).", number));
                continue;
            }

            if (!string.IsNullOrEmpty(number) && !numbers.TryAdd(number, rowNumber))
            {
                problems.Add(new(rowNumber, "authorization", RejectionGrounds.Inconsistent, "The authorization number {0} is also used in row {1}.", number, numbers[number]));
                continue;
            }

            if (!households.TryGetValue(headId, out var household))
            {
                household = (rowNumber, headName, Cell("city"), Cell("county"), Cell("street"), [], []);
                households[headId] = household;
            }
            else if (household.HeadName != headName || household.Street != Cell("street") || household.County != Cell("county"))
            {
                problems.Add(new(rowNumber, "headName", RejectionGrounds.Inconsistent, "The head {0} appears with a different name or address than in row {1}.", headName, household.Row));
                continue;
            }

            household.Members.Add(new NewMember(memberName, memberId, relation));
            if (!string.IsNullOrEmpty(number))
            {
                household.Authorizations.Add(new AuthorizationDraft(memberId, "self", "paper", default, null, null, number));
            }
        }

        var drafts = households.Select(h => ((int?)h.Value.Row, new HouseholdDraft(h.Value.HeadName, h.Key, h.Value.City, h.Value.County, h.Value.Street, h.Value.Members, null, h.Value.Authorizations))).ToList();
        return new RosterReading(drafts, problems);
    }

    /// <summary>A roster template with the B.2 headers, for departments to fill in.</summary>
    public static byte[] Template()
    {
        using var stream = new MemoryStream();
        var header = new Dictionary<string, object?> { ["序号"] = 1, ["市（州）"] = "", ["县（市、区）"] = "", ["乡镇（街道）"] = "", ["户主姓名"] = "", ["户主身份证号"] = "", ["成员姓名"] = "", ["成员身份证号"] = "", ["与户主关系"] = "01", ["授权书编号"] = "" };
        stream.SaveAs(new[] { header });
        return stream.ToArray();
    }

    private static RosterReading Refused(IntakeProblem problem) => new([], [problem]);

    private static Dictionary<string, string> HeaderMap(IReadOnlyDictionary<string, string> header)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (column, value) in header)
        {
            var text = value.Replace("\n", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal).Trim();
            foreach (var (key, names) in Columns)
            {
                if (names.Contains(text) && !map.ContainsKey(key))
                {
                    map[key] = column;
                }
            }
        }

        return map;
    }

    private static string? Relation(string? cell, bool isHead)
    {
        if (string.IsNullOrWhiteSpace(cell))
        {
            return isHead ? IntakeCheck.Self : "97"; // 其他亲属: B.2 does not ask for the relationship
        }

        var options = OptionSets.Find(OptionSets.Relationships)!;
        var code = cell.Length == 1 ? "0" + cell : cell;
        return options.FirstOrDefault(o => o.Value == code)?.Value ?? options.FirstOrDefault(o => o.Label == cell)?.Value;
    }
}
