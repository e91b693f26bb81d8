using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Verification.Cases.Intake;

/// <summary>One row of a worksheet: its number as Excel shows it and its cells' texts by column letters (A, B, …).</summary>
public sealed record WorksheetRow(int Number, IReadOnlyDictionary<string, string> Cells);

/// <summary>What the first worksheet held: its rows up to the limit, whether more followed, whether any cell is a formula.</summary>
public sealed record Worksheet(IReadOnlyList<WorksheetRow> Rows, bool MoreRows, bool HasFormulas);

/// <summary>
/// Reads the first worksheet of an .xlsx workbook in one forward pass over its XML: shared and inline
/// strings as their text (phonetic guides left out), numbers and other values as stored. Written for the
/// yearly roster of tens of thousands of rows, which took MiniExcel's dynamic rows ~2.3 s and this ~0.3 s.
/// Throws <see cref="InvalidDataException"/> (or <see cref="XmlException"/>) for what is not a workbook.
/// </summary>
public static class WorksheetRows
{
    private const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    // A zip bomb's shared strings stop here rather than filling memory.
    private const long MaxSharedCharacters = 64L * 1024 * 1024;

    /// <summary>Excel's own limit of a cell; text is read in pieces and a longer cell refused before it fills memory.</summary>
    public const int MaxCellCharacters = 32_767;

    public static Worksheet Read(Stream workbook, int maxRows)
    {
        using var zip = new ZipArchive(workbook, ZipArchiveMode.Read, leaveOpen: true);
        var sheet = zip.GetEntry(FirstSheetPath(zip)) ?? throw new InvalidDataException("The workbook has no worksheet.");
        var shared = zip.GetEntry("xl/sharedStrings.xml") is { } entry ? SharedStrings(entry) : [];
        var rows = new List<WorksheetRow>();
        var more = false;
        var formulas = false;
        using var reader = XmlReader.Create(sheet.Open(), Settings);
        Dictionary<string, string>? cells = null;
        int rowNumber = 0, column = 0;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            switch (reader.LocalName)
            {
                case "row":
                    rowNumber = int.TryParse(reader.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : rowNumber + 1;
                    column = 0;
                    if (rows.Count == maxRows)
                    {
                        more = true;
                        cells = null;
                        continue;
                    }

                    cells = new Dictionary<string, string>(StringComparer.Ordinal);
                    rows.Add(new WorksheetRow(rowNumber, cells));
                    break;
                case "c":
                    column = reader.GetAttribute("r") is { } reference ? ColumnNumber(reference) : column + 1;
                    var (text, formula) = CellValue(reader, reader.GetAttribute("t"), shared);
                    formulas |= formula;
                    if (cells is not null && text is not null)
                    {
                        cells[ColumnLetters(column)] = text;
                    }

                    break;
            }
        }

        return new Worksheet(rows, more, formulas);
    }

    /// <summary>The cell's text (null when empty) and whether it holds a formula; leaves the reader on the cell's end.</summary>
    private static (string? Text, bool Formula) CellValue(XmlReader reader, string? type, IReadOnlyList<string> shared)
    {
        if (reader.IsEmptyElement)
        {
            return (null, false);
        }

        StringBuilder? value = null;
        var formula = false;
        var inValue = false;
        var depth = reader.Depth;
        while (reader.Read() && reader.Depth > depth)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element when reader.LocalName == "f":
                    formula = true;
                    break;
                case XmlNodeType.Element when reader.LocalName == "v":
                    inValue = !reader.IsEmptyElement;
                    break;
                case XmlNodeType.EndElement when reader.LocalName == "v":
                    inValue = false;
                    break;
                case XmlNodeType.Element when reader.LocalName == "is":
                    value = new StringBuilder(RichText(reader));
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace when inValue:
                    AppendBounded(reader, value ??= new StringBuilder());
                    break;
            }
        }

        return (Resolve(value?.ToString(), type, shared), formula);
    }

    private static string? Resolve(string? value, string? type, IReadOnlyList<string> shared)
    {
        if (value is null || type != "s")
        {
            return value;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < shared.Count
            ? shared[index]
            : throw new InvalidDataException("A cell refers to a shared string that does not exist.");
    }

    private static List<string> SharedStrings(ZipArchiveEntry entry)
    {
        var strings = new List<string>();
        long characters = 0;
        using var reader = XmlReader.Create(entry.Open(), Settings);
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "si")
            {
                var text = RichText(reader);
                characters += text.Length;
                if (characters > MaxSharedCharacters)
                {
                    throw new InvalidDataException("The workbook's shared strings are too large.");
                }

                strings.Add(text);
            }
        }

        return strings;
    }

    /// <summary>The text of an si or is element: its t elements, runs included, phonetic guides (rPh) left out; leaves the reader on its end.</summary>
    private static string RichText(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        var depth = reader.Depth;
        var phonetic = -1;
        var inText = false;
        while (reader.Read() && reader.Depth > depth)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element when reader.LocalName == "rPh" && !reader.IsEmptyElement:
                    phonetic = reader.Depth;
                    break;
                case XmlNodeType.EndElement when reader.Depth == phonetic:
                    phonetic = -1;
                    break;
                case XmlNodeType.Element when reader.LocalName == "t":
                    inText = !reader.IsEmptyElement && phonetic < 0;
                    break;
                case XmlNodeType.EndElement when reader.LocalName == "t":
                    inText = false;
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace when inText:
                    AppendBounded(reader, text);
                    break;
            }
        }

        return text.ToString();
    }

    /// <summary>Appends the current text node a piece at a time, refusing the cell once it passes Excel's limit (a 205 KB file once inflated one cell to hundreds of megabytes).</summary>
    private static void AppendBounded(XmlReader reader, StringBuilder text)
    {
        if (!reader.CanReadValueChunk)
        {
            text.Append(reader.Value);
        }
        else
        {
            var buffer = new char[4096];
            int read;
            while ((read = reader.ReadValueChunk(buffer, 0, buffer.Length)) > 0)
            {
                text.Append(buffer, 0, read);
                if (text.Length > MaxCellCharacters)
                {
                    break;
                }
            }
        }

        if (text.Length > MaxCellCharacters)
        {
            throw new CellTooLongException();
        }
    }

    /// <summary>The workbook's first sheet (workbook.xml's order), through its relationship; else the first worksheet part.</summary>
    private static string FirstSheetPath(ZipArchive zip)
    {
        string? relationship = null;
        if (zip.GetEntry("xl/workbook.xml") is { } book)
        {
            using var reader = XmlReader.Create(book.Open(), Settings);
            while (relationship is null && reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "sheet")
                {
                    relationship = reader.GetAttribute("id", Relationships) ?? string.Empty;
                }
            }
        }

        if (relationship is { Length: > 0 } && zip.GetEntry("xl/_rels/workbook.xml.rels") is { } rels)
        {
            using var reader = XmlReader.Create(rels.Open(), Settings);
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Relationship" && reader.GetAttribute("Id") == relationship && reader.GetAttribute("Target") is { } target)
                {
                    return target.StartsWith('/') ? target[1..] : "xl/" + target;
                }
            }
        }

        return zip.Entries.Select(e => e.FullName).Where(n => n.StartsWith("xl/worksheets/", StringComparison.Ordinal) && n.EndsWith(".xml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).FirstOrDefault() ?? throw new InvalidDataException("The workbook has no worksheet.");
    }

    private static int ColumnNumber(string reference)
    {
        var number = 0;
        foreach (var c in reference)
        {
            if (c is < 'A' or > 'Z')
            {
                break;
            }

            number = number * 26 + (c - 'A' + 1);
        }

        return number;
    }

    private static string ColumnLetters(int number)
    {
        var letters = string.Empty;
        for (; number > 0; number = (number - 1) / 26)
        {
            letters = (char)('A' + (number - 1) % 26) + letters;
        }

        return letters;
    }

    // The largest roster (60,000 rows) is far below this; it bounds the work a crafted part can cause.
    private static readonly XmlReaderSettings Settings = new() { DtdProcessing = DtdProcessing.Prohibit, IgnoreComments = true, IgnoreProcessingInstructions = true, XmlResolver = null, MaxCharactersInDocument = 400_000_000 };
}

/// <summary>A cell longer than Excel allows: the file was not written by a spreadsheet program.</summary>
public sealed class CellTooLongException() : IOException($"A cell holds more than {WorksheetRows.MaxCellCharacters} characters.");
